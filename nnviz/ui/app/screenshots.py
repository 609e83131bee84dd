"""README's pictures, made by the app itself (``nnviz screenshots DIR``), so that they are
regenerated rather than go stale.

Each shot is the real window, offscreen, driven as a user would (a preset, a short real
training run, a digit from the test set, a stage of the walk), grabbed and written as a PNG:
quantised to 256 colours with Pillow when it is installed (``pip install 'nnviz[docs]'``; a
screenshot then takes ~70 KB instead of ~250 KB), else as Qt writes it.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QEventLoop, QIODevice, QSettings
from PySide6.QtWidgets import QApplication

from ..model.selection import Selection

#: The shots, in the order they are made: (file name, what it shows).
SHOTS = (
    ("training.png", "training MNIST 784-30-10 with live error and accuracy"),
    ("step-backward.png", "the trained 784-30-10 at the backward pass, δ of the hidden layer"),
    ("dense-784-100-100-100-10.png", "a deep sigmoid net's hidden layers as blocks of cells at "
     "the backward pass of layer 1: δ shrinks toward the input"),
    ("drawing.png", "a test digit on the drawing canvas, the trained net's answer"),
    ("presentation.png", "presentation mode, the running example at the backward pass"),
    ("playground.png", "the 2-D playground: XOR from random weights, trained"),
    ("landscape.png", "the chain's E(w¹₀₀): the tangent with slope ∂E/∂w and a step of η"),
)
#: Training run for the shots: enough for a net that reads digits, quick on two cores.
TRAIN_SUBSET, TRAIN_EPOCHS = 10_000, 5


def write_screenshots(folder, size: tuple[int, int] = (1366, 768),
                      report: Callable[[str], None] = print) -> list[Path]:
    """Make every shot of SHOTS in ``folder`` (created if needed) at window ``size``; returns
    the paths written. ``report`` is told each path as it is written."""
    from ...data import load_mnist
    from .main_window import MainWindow

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance()
    settings = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "nnviz",
                         "nnviz-screenshots")
    settings.clear()
    w = MainWindow(settings=settings, preset="mnist-30", load_data=False, theme="light")
    written: list[Path] = []

    def shot(name: str) -> None:
        _settle(app)
        path = folder / name
        _save(w.grab().toImage(), path)
        written.append(path)
        report(str(path))

    try:
        w.resize(*size)
        w.show()
        w.use_mnist(load_mnist())
        _settle(app)
        # Training: a real run on a subset, its curves and the big picture afterwards.
        w.workspaces.switch("train")
        w.training.subset.setValue(TRAIN_SUBSET)
        w.training.epochs.setValue(TRAIN_EPOCHS)
        _run(app, w, lambda: w.training.start())
        shot("training.png")
        # The trained net at the backward pass of its hidden layer.
        w.workspaces.switch("step")
        w.doc.walk_go(_stage(w.doc, "backward", 1))
        w.view.fit()
        shot("step-backward.png")
        w.doc.stop_stepping()
        # Dense layers: a deep sigmoid net, each hidden layer a block of cells, at δ¹.
        from ...core import Network

        trained = [x.copy() for x in w.doc.net.weights], [b.copy() for b in w.doc.net.biases]
        w.doc.undo_stack.setClean()
        w.doc.set_network(Network([784, 100, 100, 100, 10], "sigmoid", seed=1),
                          "784-100-100-100-10", "", (28, 28))
        w.doc.set_examples(w.mnist.test)
        w.doc.walk_go(_stage(w.doc, "backward", 1))
        w.view.fit()
        shot("dense-784-100-100-100-10.png")
        w.doc.stop_stepping()
        w.doc.undo_stack.setClean()
        w.load_preset("mnist-30")
        w.doc.replace_parameters(*trained, "trained")  # the trained net draws
        # A test digit drawn on the canvas.
        w.workspaces.switch("draw")
        w.drawer.load_example(8)
        w.drawer.show_in_graph()
        w.view.fit()
        shot("drawing.png")
        # Presentation mode on the running example (the trained net is not kept: no
        # "save your changes?" question).
        w.doc.undo_stack.setClean()
        w.load_preset("running-example")
        w.doc.walk_go(_stage(w.doc, "backward", 2))
        w.resize(1920, 1080)  # a projector's size: presentation mode is made for it
        w.presentation.enter(full_screen=False)
        _settle(app)
        w.view.fit()
        shot("presentation.png")
        w.presentation.leave()
        w.resize(*size)
        w.doc.stop_stepping()
        # The playground: XOR from random weights, trained with the preset's settings.
        w.doc.undo_stack.setClean()
        w.load_preset("xor-random")
        w.workspaces.switch("constructions")
        w.training.pace.setValue(0)  # as fast as it goes
        _run(app, w, w.toggle_training)
        w.view.fit()
        shot("playground.png")
        # The cost landscape of the chain's first weight at the gradients stage.
        w.doc.undo_stack.setClean()
        w.load_preset("chain")
        w.workspaces.switch("step")
        w.doc.walk_go(_stage(w.doc, "gradients", None))
        w.doc.select(Selection("edge", 1, 0, 0))
        w.doc.set_step_eta(40.0)
        w.landscape.show()
        w.view.fit()
        shot("landscape.png")
    finally:
        w.doc.undo_stack.setClean()
        w.close()
        settings.clear()
    return written


def _stage(doc, kind: str, layer: int | None) -> int:
    if not doc.stepping:
        doc.start_stepping()
    return next(i for i, s in enumerate(doc.walk.stages)
                if s.kind == kind and s.layer == layer)


def _settle(app, seconds: float = 0.3) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def _run(app, w, start: Callable[[], None], timeout: float = 300.0) -> None:
    """Start a training run and wait until it is over (RuntimeError if it does not end)."""
    done: list = []
    w.trainer.finished.connect(done.append)
    try:
        start()
        end = time.perf_counter() + timeout
        while not done:
            if time.perf_counter() > end or w.trainer.state.name == "FAILED":
                raise RuntimeError("the screenshots' training run did not finish")
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    finally:
        w.trainer.finished.disconnect(done.append)
    _settle(app, 0.5)


def _save(image, path: Path) -> None:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    try:
        from PIL import Image
    except ImportError:  # Qt's PNG as it is
        path.write_bytes(bytes(data))
        return
    picture = Image.open(io.BytesIO(bytes(data))).convert("RGB")
    small = picture.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    small.save(path, "PNG", optimize=True)
