"""Each layer's learning speed ‖∂E/∂b^l‖ over the run (log y), live, and the one-click
comparison of a deep sigmoid net with a deep ReLU net (the vanishing gradient)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...core.learning import DEEP_SIZES, SpeedProbe, deep_pair
from ...core.session import TrainingState
from .axes import legend_above, theme_plots
from .controller import TrainingController

#: Colours of layers 1, 2, 3, … (colour-blind safe; the output layer is the last used).
LAYER_COLOURS = ((0, 114, 178), (213, 94, 0), (0, 158, 115), (204, 121, 167), (230, 159, 0),
                 (86, 180, 233), (0, 0, 0))
#: The comparison's two nets: solid and dashed.
PAIR_STYLES = ((0, 114, 178), (213, 94, 0))


def layer_colour(l: int) -> tuple[int, int, int]:
    """The colour of layer l (1-based)."""
    return LAYER_COLOURS[(l - 1) % len(LAYER_COLOURS)]


class SpeedPlot(QWidget):
    """Left: the current run's learning speed of every layer against epochs (0: the start).
    Right (after "Compare…"): the speed of each layer at the start, sigmoid vs ReLU."""

    def set_appearance(self, appearance) -> None:
        """The plots in the theme's colours (``theme.apply_appearance`` calls it)."""
        theme_plots(self, appearance)

    def __init__(self, controller: TrainingController, data=None) -> None:
        """``data``: returns the training set the comparison measures on (default: MNIST)."""
        super().__init__()
        self.ctl = controller
        self._data = data
        self.plot = pg.PlotWidget(background="w")
        self.plot.setLogMode(y=True)
        self.plot.setLabel("left", "learning speed ‖∂E/∂bˡ‖")
        self.plot.setLabel("bottom", "epoch")
        legend_above(self.plot)
        self.pair_plot = pg.PlotWidget(background="w")
        self.pair_plot.setLogMode(y=True)
        self.pair_plot.setLabel("left", "‖∂E/∂bˡ‖ at the start")
        self.pair_plot.setLabel("bottom", f"layer l ({len(DEEP_SIZES) - 1}: the output)")
        legend_above(self.pair_plot, columns=1)  # two long names: one per row, or cut off
        self.pair_plot.hide()
        self.curves: list = []
        self.pair: dict[str, list[float]] = {}
        self.compare_button = QPushButton("Compare sigmoid and ReLU")
        self.compare_button.setToolTip(
            f"Each layer's learning speed in a fresh {'-'.join(map(str, DEEP_SIZES))} net, "
            "sigmoid with cross-entropy and scaled weights against ReLU with He weights, on "
            "the first 1,000 MNIST training images: the vanishing gradient in one picture")
        self.compare_button.clicked.connect(self.compare)
        self.note = QLabel("The length of each layer's bias gradient on 1,000 training images, "
                           "at the start and after every epoch: how fast the layer learns.")
        self.note.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.note, 1)
        top.addWidget(self.compare_button)
        plots = QHBoxLayout()
        plots.addWidget(self.plot, 1)
        plots.addWidget(self.pair_plot, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(plots, 1)
        controller.speedsReported.connect(self.redraw)
        controller.stateChanged.connect(self._on_state_changed)

    def _on_state_changed(self, state: TrainingState) -> None:
        if state is TrainingState.STARTING and not self.ctl.session.continuing:
            self.redraw()  # a new run: its own curves only

    def redraw(self) -> None:
        """One curve per layer of the current run."""
        run = self.ctl.run
        xs, ys = run.speeds() if run is not None else (np.zeros(0), np.zeros((0, 0)))
        n = ys.shape[1] if ys.ndim == 2 else 0
        if len(self.curves) != n:
            for c in self.curves:
                self.plot.removeItem(c)
            self.curves = []
            for l in range(1, n + 1):
                colour = layer_colour(l)
                self.curves.append(self.plot.plot(
                    name=f"layer {l}" + (" (output)" if l == n else ""), symbol="o",
                    symbolSize=5, symbolBrush=colour, symbolPen=None,
                    pen=pg.mkPen(colour, width=2)))
        for l, curve in enumerate(self.curves):
            y = ys[:, l]
            ok = y > 0  # a log axis shows positive numbers only
            curve.setData(xs[ok], y[ok])

    def compare(self) -> dict[str, list[float]]:
        """Measure and plot the two deep nets' learning speeds by layer; returns them."""
        if self._data is not None:
            train = self._data()
        else:
            from ...data import load_mnist

            train = load_mnist().train
        probe = SpeedProbe(train)
        self.pair = {label: probe.measure(net)[0] for label, net in deep_pair().items()}
        self.pair_plot.clear()
        for (label, speeds), colour in zip(self.pair.items(), PAIR_STYLES):
            layers = np.arange(1, len(speeds) + 1, dtype=float)
            self.pair_plot.plot(layers, speeds, name=label, symbol="o", symbolSize=8,
                                symbolBrush=colour, symbolPen=None, pen=pg.mkPen(colour, width=2))
        ticks = [(l, f"{l}") for l in range(1, len(DEEP_SIZES))]
        self.pair_plot.getAxis("bottom").setTicks([ticks])
        self.pair_plot.setXRange(0.7, len(DEEP_SIZES) - 0.7, padding=0)
        self.pair_plot.show()
        return self.pair
