"""``nnviz bench render`` and ``nnviz bench startup`` (these import Qt; the others do not).

render: for 784-30-10, 784-100-10, 784-256-10 and 784-100-100-100-10 in a 1600x900 offscreen
window showing a test digit, the time to apply a new set of weights and repaint the graph — in
the live level of detail, in full detail, and with a naive baseline (one QGraphicsLineItem per
edge, every pen reset per frame) measured the same way — in ms per frame, with the ratios, each
printed beside its target (live ≤ LIVE_TARGET_MS, full ≤ FULL_TARGET_MS).

startup: wall time from launching ``nnviz`` to its first painted window, next to a bare
PySide6 + pyqtgraph + numpy window measured the same way in the same run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

import numpy as np

NETS = {"784-30-10": [784, 30, 10], "784-100-10": [784, 100, 10],
        "784-256-10": [784, 256, 10], "784-100-100-100-10": [784, 100, 100, 100, 10]}
SIZE = (1600, 900)
#: ms per frame: the live level of detail (while training) and full detail ("Show all edges").
LIVE_TARGET_MS, FULL_TARGET_MS = 20.0, 150.0


def _app():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def _weight_sets(net, n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    return [([w + 0.3 * rng.standard_normal(w.shape) for w in net.weights],
             [b + 0.3 * rng.standard_normal(b.shape) for b in net.biases]) for _ in range(n)]


def _time_frames(apply, repaint, sets) -> float:
    apply(*sets[0])
    repaint()  # warm up
    times = []
    for w, b in sets[1:]:
        tick = time.perf_counter()
        apply(w, b)
        repaint()
        times.append(time.perf_counter() - tick)
    return 1000 * float(np.median(times))


def nnviz_frames(sizes, mnist, frames: int) -> tuple[float, float]:
    """(live ms, full ms) per frame of nnviz's graph view."""
    from PySide6.QtCore import QSettings

    from ..core import Network
    from ..ui.app.main_window import MainWindow

    app = _app()
    tmp = tempfile.mkdtemp()
    win = MainWindow(settings=QSettings(os.path.join(tmp, "s.ini"), QSettings.Format.IniFormat),
                     preset="xor", load_data=False)
    win.doc.set_network(Network(sizes, seed=0), "bench", input_shape=(28, 28))
    win.doc.set_examples(mnist.test)
    win.resize(*SIZE)
    win.show()
    app.processEvents()
    view = win.view
    view.fit()
    app.processEvents()
    sets = _weight_sets(win.doc.net, frames + 1)
    repaint = view.viewport().repaint
    view.set_live(True)
    lock = win.doc.lock("the benchmark is running")  # new weights as a run shows them
    live = _time_frames(lock.show, repaint, sets)
    view.set_live(False)
    view.set_option("show_all_edges", True)
    full = _time_frames(lock.show, repaint, sets[: max(4, frames // 3)])
    lock.release("The benchmark's weights")
    win.doc.undo_stack.setClean()  # nothing to save: closing must not ask
    win.close()
    return live, full


def naive_frames(sizes, frames: int) -> float:
    """ms per frame with one QGraphicsLineItem per edge (the obvious implementation)."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QPen
    from PySide6.QtWidgets import QGraphicsScene, QGraphicsView

    from ..core import Network
    from ..ui.graph.layout import compute_layout
    from ..ui.look import style

    app = _app()
    net = Network(sizes, seed=0)
    layout = compute_layout(sizes, (28, 28))
    scene = QGraphicsScene()
    # without this, every setPen re-indexes the BSP tree and one frame takes minutes
    scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)
    items = []
    for l in range(1, len(sizes)):
        prev, cur = layout.layers[l - 1], layout.layers[l]
        layer = []
        for j in range(cur.n):
            for k in range(prev.n):
                (x0, y0), (x1, y1) = prev.pos[k], cur.pos[j]
                layer.append(scene.addLine(x0, y0, x1, y1))
        items.append(layer)
    view = QGraphicsView(scene)
    view.resize(*SIZE)
    x0, y0, x1, y1 = layout.bounds()
    view.show()
    view.fitInView(QRectF(x0, y0, x1 - x0, y1 - y0))
    app.processEvents()

    def apply(weights, biases):
        scales = style.weight_scale(weights, False)
        for layer, w, s in zip(items, weights, scales):
            t = np.clip(w.ravel() / s, -1, 1)
            rgb = style.diverging_rgb(t)
            for item, (r, g, b), m in zip(layer, rgb, np.abs(t)):
                pen = QPen(QColor(int(r), int(g), int(b), int(40 + 215 * m)))
                pen.setWidthF(0.6 + 4.4 * m)
                item.setPen(pen)

    ms = _time_frames(apply, view.viewport().repaint, _weight_sets(net, frames + 1))
    view.close()
    return ms


def run_render(frames: int = 20, log=print) -> dict:
    from ..data import load_mnist

    mnist = load_mnist()
    out: dict = {}
    for name, sizes in NETS.items():
        live, full = nnviz_frames(sizes, mnist, frames)
        naive = naive_frames(sizes, 3)
        row = {"live_ms": live, "full_ms": full, "naive_ms": naive,
               "naive_over_live": naive / live, "naive_over_full": naive / full}
        out[name] = row
        log(f"{name}: live {live:.1f} ms/frame (target ≤ {LIVE_TARGET_MS:.0f}: "
            f"{_met(live <= LIVE_TARGET_MS)}), full {full:.1f} ms/frame (target ≤ "
            f"{FULL_TARGET_MS:.0f}: {_met(full <= FULL_TARGET_MS)}), naive {naive:.0f} ms/frame "
            f"→ live is {naive / live:.0f}x faster than naive, full {naive / full:.1f}x")
    log(f"targets: live ≤ {LIVE_TARGET_MS:.0f} ms for every net: "
        + _met(all(r["live_ms"] <= LIVE_TARGET_MS for r in out.values()))
        + f"; full ≤ {FULL_TARGET_MS:.0f} ms for every net: "
        + _met(all(r["full_ms"] <= FULL_TARGET_MS for r in out.values()))
        + "; ≥ 100x faster than naive (live): "
        + _met(all(r["naive_over_live"] >= 100 for r in out.values())))
    return out


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


_BARE = """
import time, sys
import numpy, pyqtgraph
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow()
w.resize(1400, 860)
w.show()
def report():
    w.repaint()
    print("STARTUP", flush=True)
    app.quit()
QTimer.singleShot(0, report)
app.exec()
"""


def _launch(cmd, env) -> float:
    tick = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            env=env)
    for line in proc.stdout:
        if line.startswith("STARTUP"):
            elapsed = time.perf_counter() - tick
            break
    else:
        proc.wait()
        raise RuntimeError(f"{cmd} did not report its first frame")
    proc.wait(timeout=30)
    return elapsed


def run_startup(repeats: int = 5, log=print) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    with tempfile.TemporaryDirectory() as home:
        env["XDG_CONFIG_HOME"] = home  # fresh settings: the default first window
        app_cmd = [sys.executable, "-m", "nnviz", "--startup-probe"]
        bare_cmd = [sys.executable, "-c", _BARE]
        _launch(app_cmd, env)  # warm the file cache once for both
        _launch(bare_cmd, env)
        app_times = [_launch(app_cmd, env) for _ in range(repeats)]
        bare_times = [_launch(bare_cmd, env) for _ in range(repeats)]
    out = {"startup_s": min(app_times), "baseline_s": min(bare_times),
           "startup_all_s": app_times, "baseline_all_s": bare_times}
    out["overhead_s"] = out["startup_s"] - out["baseline_s"]
    out["startup_over_bare"] = out["startup_s"] / out["baseline_s"]
    log(f"nnviz to first painted window: {out['startup_s']:.3f} s (best of {repeats}); bare "
        f"PySide6 + pyqtgraph + numpy window: {out['baseline_s']:.3f} s; ratio "
        f"{out['startup_over_bare']:.2f}x")
    from .targets import state, target

    return state(out, {"startup_s": target(out["startup_s"], 1.0, at_most=True),
                       "startup_over_bare": target(out["startup_over_bare"], 1.3, at_most=True)},
                 log)
