"""The digit drawing panel: canvas and tools, the 28×28 preview, the output bars, and the
buttons the app connects (see ``nnviz.ui.drawing.controller``)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .bars import PredictionBars
from .canvas import RADIUS_RANGE, DrawingCanvas, DrawingPreview


def _button(cls, text: str, tip: str):
    b = cls()
    b.setText(text)
    b.setToolTip(tip)
    return b


class DrawingPanel(QWidget):
    """The canvas with its tools, the preview and the bars, and buttons the app connects:
    ``show_button``, ``step_button``, ``teach_button``, ``load_button`` (disabled until then).
    Side by side when wide, stacked when narrow (a dock ~360 px wide)."""

    NARROW = 560  # below this width (or the wide layout's minimum) preview and bars go under

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = DrawingCanvas()
        self.preview = DrawingPreview()
        self.bars = PredictionBars()
        self.note = QLabel()  # what the app has to say about the drawing (e.g. after teaching)
        self.note.setWordWrap(True)

        self.brush_slider = QSlider(Qt.Orientation.Horizontal)
        self.brush_slider.setRange(*(int(v) for v in RADIUS_RANGE))
        self.brush_slider.setValue(round(self.canvas.brush_radius))
        self.brush_slider.setToolTip("Brush radius, in pixels of the 280×280 canvas")
        self.brush_slider.setMinimumWidth(40)
        self.brush_label = QLabel()
        self.erase_button = _button(QToolButton, "Erase", "Erase instead of drawing (a pen's "
                                    "eraser end always erases)")
        self.erase_button.setCheckable(True)
        self.undo_button = _button(QToolButton, "Undo stroke", "Take back the last stroke, "
                                   "clear or loaded digit (Ctrl+Z on the canvas)")
        self.clear_button = _button(QToolButton, "Clear", "Wipe the canvas (Delete or Esc on "
                                    "the canvas; undoable)")
        # for the app to connect; disabled until it does
        self.show_button = _button(QPushButton, "Show in graph",
                                   "Use the drawing as the network's input in the graph")
        self.step_button = _button(QPushButton, "Step through…",
                                   "Walk the drawing through the forward and backward passes")
        self.teach_button = _button(QPushButton, "Teach…", "Tell the network which digit this "
                                    "is and take a gradient step on it")
        self.load_button = _button(QPushButton, "Load digit…",
                                   "Put a digit from the data set on the canvas")
        self.app_buttons = (self.show_button, self.step_button, self.teach_button,
                            self.load_button)
        for b in self.app_buttons:
            b.setEnabled(False)

        tools = QHBoxLayout()
        tools.addWidget(QLabel("Brush"))
        tools.addWidget(self.brush_slider, 1)
        tools.addWidget(self.brush_label)
        for b in (self.erase_button, self.undo_button, self.clear_button):
            tools.addWidget(b)
        left = QVBoxLayout()
        left.addWidget(self.canvas, 1)
        left.addLayout(tools)
        self._side = QWidget()
        side = QVBoxLayout(self._side)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.preview, 1)
        side.addSpacing(8)
        side.addWidget(self.bars, 1)
        self._buttons = QGridLayout()
        self._body = QGridLayout()
        self._body.addLayout(left, 0, 0)
        layout = QVBoxLayout(self)
        layout.addLayout(self._body, 1)
        layout.addWidget(self.note)
        layout.addLayout(self._buttons)
        self._narrow: bool | None = None
        self._presenting = False
        self._arrange(False)
        self._wide_min = max(self.NARROW, layout.totalMinimumSize().width())
        self.setMinimumWidth(360)  # the layout's own minimum depends on the arrangement

        self.brush_slider.valueChanged.connect(self._on_slider_changed)
        self.canvas.brushRadiusChanged.connect(self._on_canvas_radius_changed)
        self.erase_button.toggled.connect(self.canvas.set_erasing)
        self.canvas.erasingChanged.connect(self._on_canvas_erasing_changed)
        self.undo_button.clicked.connect(self.canvas.undo_stroke)
        self.clear_button.clicked.connect(self.canvas.clear)
        self.canvas.inkChanged.connect(self._on_canvas_ink_changed)
        self._on_canvas_radius_changed(self.canvas.brush_radius)
        self._on_canvas_ink_changed()

    @property
    def narrow(self) -> bool:
        """Whether the panel has its narrow arrangement: preview and bars below the canvas,
        the buttons 2×2."""
        return bool(self._narrow)

    def _arrange(self, narrow: bool) -> None:
        """Preview and bars beside the canvas (wide) or below it (narrow); buttons 4×1 or 2×2."""
        if narrow == self._narrow:
            return
        self._narrow = narrow
        self._body.removeWidget(self._side)
        self._body.addWidget(self._side, *((1, 0) if narrow else (0, 1)))
        self._body.setColumnStretch(0, 3)
        self._body.setColumnStretch(1, 0 if narrow else 2)
        self._body.setRowStretch(0, 3)
        self._body.setRowStretch(1, 2 if narrow else 0)
        side = self._side.layout()
        if narrow:  # the side panel: preview and bars side by side under the canvas
            side.setDirection(QBoxLayout.Direction.LeftToRight)
        else:
            side.setDirection(QBoxLayout.Direction.TopToBottom)
        # side by side the bars take the room: ten labelled bars and the answer beside them
        side.setStretchFactor(self.bars, 2 if narrow else 1)
        for i, b in enumerate(self.app_buttons):
            self._buttons.removeWidget(b)
            self._buttons.addWidget(b, *(divmod(i, 2) if narrow else (0, i)))

    def set_presenting(self, on: bool) -> None:
        """Presentation mode: large type, so always stacked (canvas above, preview and bars
        side by side below, the buttons 2×2), whatever the width."""
        self._presenting = on
        self._arrange(on or self.width() < self._wide_min)

    def resizeEvent(self, e) -> None:
        self._arrange(self._presenting or e.size().width() < self._wide_min)
        super().resizeEvent(e)

    def _on_slider_changed(self, value: int) -> None:
        self.canvas.set_brush_radius(float(value))

    def _on_canvas_radius_changed(self, radius: float) -> None:
        self.brush_slider.blockSignals(True)
        self.brush_slider.setValue(round(radius))
        self.brush_slider.blockSignals(False)
        self.brush_label.setText(f"{radius:.0f} px")

    def _on_canvas_erasing_changed(self, on: bool) -> None:
        self.erase_button.blockSignals(True)
        self.erase_button.setChecked(on)
        self.erase_button.blockSignals(False)

    def _on_canvas_ink_changed(self) -> None:
        self.undo_button.setEnabled(self.canvas.can_undo())
        self.clear_button.setEnabled(not self.canvas.is_empty())
