"""``nnviz bench gui``: training inside the app vs headless, and how late the event loop runs.

In one run, offscreen: 784-30-10 (sigmoid, quadratic) on MNIST at mini-batch 10, η = 3 —
first headless (the core's Trainer in this process), then inside the app (the background worker,
live plots, the graph recoloured from weight snapshots) while a 5 ms QTimer records how late
each tick arrives. Throughput is training samples per second of training time, as the Trainer
measures it in both cases; the ratio is in-app / headless.
"""

from __future__ import annotations

import os
import tempfile
import time

import numpy as np


def run(epochs: int = 10, log=print) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from ..core import Network
    from ..core.training import TrainConfig, Trainer
    from ..data import load_mnist

    mnist = load_mnist()
    config = TrainConfig(eta=3.0, batch_size=10, epochs=epochs, seed=0)
    net = Network([784, 30, 10], "sigmoid", "quadratic", seed=0)
    trainer = Trainer(net.copy(), mnist.train, config)
    for _ in trainer.run():
        pass
    headless = trainer.result.samples_per_second
    log(f"headless: {headless:,.0f} samples/s ({epochs} epochs)")

    app = QApplication.instance() or QApplication([])
    from ..ui.app.main_window import MainWindow

    tmp = tempfile.mkdtemp()
    win = MainWindow(settings=QSettings(os.path.join(tmp, "s.ini"), QSettings.Format.IniFormat),
                     preset="mnist-30", load_data=False)
    win.use_mnist(mnist)
    win.doc.replace_parameters(net.weights, net.biases, "The benchmark's start")
    win.resize(1600, 1000)
    win.show()
    panel = win.training
    panel.eta.setValue(3.0)
    panel.batch.setValue(10)
    panel.epochs.setValue(epochs)
    panel.seed.setValue(0)
    late: list[float] = []
    clock = QElapsedTimer()
    state = {"last": None, "done": False, "result": None}

    def tick() -> None:
        now = clock.nsecsElapsed() / 1e6
        if state["last"] is not None:
            late.append(max(0.0, now - state["last"] - 5.0))
        state["last"] = now

    def finished(result) -> None:
        state["done"], state["result"] = True, result

    win.trainer.finished.connect(finished)
    win.trainer.batchReported.connect(lambda _: state.__setitem__("batches", True))
    timer = QTimer()
    timer.setTimerType(timer.timerType().PreciseTimer)
    timer.setInterval(5)
    timer.timeout.connect(tick)
    win._train("start")
    measuring = False
    deadline = time.perf_counter() + 600
    while not state["done"] and time.perf_counter() < deadline:
        app.processEvents()
        if not measuring and state.get("batches"):
            # Measure while training runs: from the first mini-batch report on (the worker's
            # start-up and the first layout of the training docks are not the steady state).
            clock.start()
            timer.start()
            measuring = True
        time.sleep(0.0005)
    timer.stop()
    win.doc.undo_stack.setClean()  # nothing to save: closing must not ask
    win.close()
    if not state["done"]:
        raise RuntimeError("training in the app did not finish within 10 minutes")
    in_app = state["result"].samples_per_second
    lat = np.array(late) if late else np.zeros(1)
    out = {"lateness_p50_ms": float(np.percentile(lat, 50)),
           "lateness_p99_ms": float(np.percentile(lat, 99)),
           "lateness_max_ms": float(lat.max()), "ticks": len(late),
           "headless_samples_per_s": headless, "in_app_samples_per_s": in_app,
           "throughput_ratio": in_app / headless}
    log(f"in the app: {in_app:,.0f} samples/s = {100 * out['throughput_ratio']:.1f}% of "
        f"headless; event loop lateness over {len(late)} ticks of 5 ms: p50 "
        f"{out['lateness_p50_ms']:.2f} ms, p99 {out['lateness_p99_ms']:.2f} ms, max "
        f"{out['lateness_max_ms']:.2f} ms")
    from .targets import state, target

    return state(out, {"lateness_p99_ms": target(out["lateness_p99_ms"], 5.0, at_most=True),
                       "throughput_ratio": target(out["throughput_ratio"], 0.95, at_most=False)},
                 log)
