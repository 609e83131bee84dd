"""``nnviz bench playground``: full heatmap updates per second of the playground panel.

Offscreen, a 2-8-8-1 tanh network in a PlaygroundPanel of about 900 × 700: N times, new random
weights shown through a training lock (as a run's frames are), then every neuron's map
recomputed (one batched forward pass) and the panel repainted. The figure is 1 / median seconds
per full update.
"""

from __future__ import annotations

import os
import time

import numpy as np

SIZES = [2, 8, 8, 1]
PANEL = (900, 700)
TARGET = 20.0  # full updates per second


def run(log=print, n: int = 60, seed: int = 0) -> dict:
    """Time ``n`` full updates; returns a dict of plain numbers (and the target line)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ..core.network import Network
    from ..ui.constructions.playground import PlaygroundPanel
    from ..ui.model.document import Document

    app = QApplication.instance() or QApplication([])
    doc = Document()
    doc.set_network(Network(SIZES, ["tanh", "tanh", "sigmoid"], "cross-entropy", seed=seed))
    panel = PlaygroundPanel(doc)
    panel.choose_dataset("spiral")
    panel.resize(*PANEL)
    panel.show()
    app.processEvents()
    rng = np.random.default_rng(seed)
    shapes = [(w.shape, b.shape) for w, b in zip(doc.net.weights, doc.net.biases)]

    lock = doc.lock("the benchmark is running")

    def update() -> float:
        weights = [rng.standard_normal(sw) for sw, _ in shapes]
        biases = [rng.standard_normal(sb) for _, sb in shapes]
        tick = time.perf_counter()
        lock.show(weights, biases)
        panel.update_maps()
        panel.repaint()
        return time.perf_counter() - tick

    for _ in range(3):  # warm up
        update()
    seconds = np.array([update() for _ in range(n)])
    app.processEvents()
    median = float(np.median(seconds))
    rate = 1.0 / median
    met = rate >= TARGET
    result = {
        "network": "-".join(map(str, SIZES)),
        "panel": f"{PANEL[0]}x{PANEL[1]}",
        "grid": f"{panel.resolution}x{panel.resolution}",
        "neurons": int(sum(SIZES[1:])),
        "updates": n,
        "heatmap_updates_per_s": rate,
        "median_ms": 1000 * median,
        "p95_ms": 1000 * float(np.percentile(seconds, 95)),
        "compute_ms": float(panel.last_update_ms),
        "target": f"target: ≥ {TARGET:g} updates/s: {'met' if met else 'NOT met'}",
        "target_met": met,
    }
    panel.close()
    panel.deleteLater()
    log(f"playground {result['network']} at {result['panel']}, grid {result['grid']}: "
        f"{rate:.1f} full heatmap updates/s (median {result['median_ms']:.2f} ms, "
        f"p95 {result['p95_ms']:.2f} ms)")
    log(result["target"])
    return result


if __name__ == "__main__":  # pragma: no cover
    run()
