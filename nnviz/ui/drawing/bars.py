"""Bars of a network's outputs: the top answer large, the rest for comparison.

Shows the values it is given (probabilities for a softmax output, raw activations otherwise);
computes nothing itself.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QStaticText
from PySide6.QtWidgets import QToolTip, QWidget

from ...core.notation import format_number
from ..look.style import POSITIVE

_FRAME = QColor(150, 150, 150)
_HINT = QColor(170, 170, 170)
_BLUE = QColor(*POSITIVE)
_BAR = QColor(170, 170, 170)


class PredictionBars(QWidget):
    """The n outputs as bars labelled 0..n−1, the largest one blue and written out big.

    Painted directly (no scene, no items): ``set_outputs`` stores the array and asks for one
    repaint of this small widget.
    """

    KINDS = {"probability": ("probability", "probability"),
             "activation": ("output activation a^L_j", "output activation a<sup>L</sup><sub>j"
                                                        "</sub>")}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values: np.ndarray | None = None
        self._kind = "probability"
        self._top: int | None = None
        self._n = 10
        self._range = (0.0, 1.0)
        self._titles = {k: QStaticText(rich) for k, (_, rich) in self.KINDS.items()}
        self._frame, self._hint, self._bar, self._answer = _FRAME, _HINT, _BAR, _BLUE
        for t in self._titles.values():
            t.setTextFormat(Qt.TextFormat.RichText)
        self.setMinimumSize(200, 110)

    def sizeHint(self) -> QSize:
        return QSize(300, 170)

    def set_appearance(self, appearance) -> None:
        """Frame, bar and answer colours for a ``theme.Appearance`` (the answer in the
        palette's positive colour); text follows the widget's palette."""
        c = appearance.colours()
        self._frame, self._hint, self._bar = QColor(*c.frame), QColor(*c.muted), QColor(*c.muted)
        self._answer = QColor(*c.diverging.positive)
        self.update()

    def top_index(self) -> int | None:
        """The index of the largest finite output, or None when there is none."""
        return self._top

    def outputs(self) -> np.ndarray | None:
        return None if self._values is None else self._values.copy()

    def kind(self) -> str:
        return self._kind

    def axis_label(self) -> str:
        return self.KINDS[self._kind][0]

    def set_outputs(self, values, kind: str = "probability") -> None:
        """Show ``values`` (shape (n,)) as "probability" (axis 0..1) or "activation" (raw
        a^L_j, axis from the values), or None for the "no input" state. Non-finite values
        (a diverged network) get no bar and are never the top answer."""
        if kind not in self.KINDS:
            raise ValueError(f"kind must be one of {sorted(self.KINDS)}, got {kind!r}")
        self._kind = kind
        if values is None:
            self._values, self._top = None, None
        else:
            values = np.array(values, dtype=np.float64).ravel()
            if not values.size:
                raise ValueError("set_outputs needs at least one value")
            self._values, self._n = values, values.size
            finite = np.isfinite(values)
            self._top = int(np.argmax(np.where(finite, values, -np.inf))) if finite.any() else None
        self._range = self._axis_range()
        self.update()

    def _axis_range(self) -> tuple[float, float]:
        if self._kind == "probability" or self._values is None:
            return 0.0, 1.0
        v = self._values[np.isfinite(self._values)]
        lo, hi = (float(v.min()), float(v.max())) if v.size else (0.0, 1.0)
        if lo >= 0 and hi <= 1:
            return 0.0, 1.0
        if lo >= -1 and hi <= 1:
            return -1.0, 1.0
        lo, hi = min(lo, 0.0), max(hi, 0.0)
        return lo, hi if hi > lo else lo + 1

    # -- layout ----------------------------------------------------------------------------
    def _geometry(self) -> tuple[QRectF, QRectF]:
        """(answer box on the left, plot area of the bars); lays out the axis title."""
        fm = self.fontMetrics()
        # the answer's caption ("no input", "0.996") fits at any font size
        answer_w = max(56.0, fm.horizontalAdvance("no answer") + 8.0,
                       min(self.width() * 0.22, 90.0))
        title = self._titles[self._kind]
        title.setTextWidth(max(self.width() - answer_w - 4, 20))  # wraps when narrow
        tick_w = fm.horizontalAdvance("−0.5") + 8
        top, bottom = title.size().height() + fm.height() / 2 + 2, fm.height() + 4
        plot = QRectF(answer_w + tick_w, top, self.width() - answer_w - tick_w - 6,
                      max(self.height() - top - bottom, 10))
        return QRectF(0, 0, answer_w, self.height()), plot

    def plot_rect(self) -> QRectF:
        """The area the bars are drawn in (widget coordinates)."""
        return self._geometry()[1]

    def labelled_bars(self) -> list[int]:
        """The bars whose index is written under them: every one if there is room, else
        every step-th, always the answer's, and none so close to another that they overlap."""
        slot = self.plot_rect().width() / self._n
        step = max(1, int(np.ceil(self.fontMetrics().horizontalAdvance(str(self._n - 1))
                                  * 1.6 / slot)))
        top = self._top
        return [j for j in range(self._n) if j == top or (
            j % step == 0 and (top is None or abs(j - top) >= step))]

    def _bar_at(self, x: float) -> int | None:
        _, plot = self._geometry()
        if not plot.left() <= x < plot.right():
            return None
        return min(int((x - plot.left()) / plot.width() * self._n), self._n - 1)

    def event(self, e) -> bool:
        if e.type() == QEvent.Type.ToolTip:
            QToolTip.showText(e.globalPos(), self.tooltip_at(e.position().x()), self)
            return True
        return super().event(e)

    def tooltip_at(self, x: float) -> str:
        """The tooltip at widget x: the full value of the bar there, every value elsewhere,
        or a hint while there is no input."""
        if self._values is None:
            return "No input yet: draw a digit"
        j = self._bar_at(x)
        name = self.axis_label()
        if j is not None:
            return f"{j}: {name} = {float(self._values[j])!r}"
        return "\n".join(f"{i}: {float(v)!r}" for i, v in enumerate(self._values))

    # -- painting ----------------------------------------------------------------------------
    def paintEvent(self, e) -> None:
        p = QPainter(self)
        p.setClipRect(e.rect())
        text_colour = self.palette().windowText().color()
        answer, plot = self._geometry()
        lo, hi = self._range

        def y_of(v):
            return plot.bottom() - (min(max(v, lo), hi) - lo) / (hi - lo) * plot.height()

        big = QFont(self.font())
        big.setPixelSize(int(max(18, min(answer.height() * 0.42, answer.width() * 0.8))))
        big.setBold(True)
        p.setFont(big)
        big_h = p.fontMetrics().height()
        digit_box = QRectF(answer.x(), answer.center().y() - big_h * 0.6, answer.width(), big_h)
        if self._top is None:
            p.setPen(self._hint)
            p.drawText(digit_box, Qt.AlignmentFlag.AlignCenter, "–")
            caption = "no input" if self._values is None else "no answer"
        else:
            p.setPen(self._answer)
            p.drawText(digit_box, Qt.AlignmentFlag.AlignCenter, str(self._top))
            caption = format_number(float(self._values[self._top]))
        p.setFont(self.font())
        fm = p.fontMetrics()
        p.setPen(text_colour)
        p.drawText(QRectF(answer.x(), digit_box.bottom(), answer.width(), fm.height() + 2),
                   Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, caption)
        p.drawStaticText(QPointF(answer.right(), 1), self._titles[self._kind])

        # axis, ticks and the zero line
        p.setPen(QPen(self._frame, 1))
        p.drawLine(QPointF(plot.left() - 0.5, plot.top()), QPointF(plot.left() - 0.5,
                                                                     plot.bottom()))
        ticks = {lo, hi, 0.0} if lo < 0 < hi else {lo, hi, (lo + hi) / 2}
        for v in ticks:
            y = y_of(v)
            p.setPen(QPen(self._frame, 1))
            p.drawLine(QPointF(plot.left() - 4, y), QPointF(plot.left(), y))
            p.setPen(text_colour)
            p.drawText(QRectF(0, y - fm.height() / 2, plot.left() - 6, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       format_number(v, 2))
        zero = y_of(0.0)
        p.setPen(QPen(self._frame, 1))
        p.drawLine(QPointF(plot.left(), zero), QPointF(plot.right(), zero))

        # bars and their labels
        slot = plot.width() / self._n
        gap = min(slot * 0.2, 6)
        labelled = set(self.labelled_bars())
        for j in range(self._n):
            x = plot.left() + j * slot
            if self._values is not None and np.isfinite(self._values[j]):
                y = y_of(float(self._values[j]))
                bar = QRectF(x + gap / 2, min(y, zero), slot - gap, abs(zero - y))
                p.fillRect(bar, self._answer if j == self._top else self._bar)
            if j in labelled:
                p.setPen(self._answer if j == self._top else text_colour)
                p.drawText(QRectF(x, plot.bottom() + 2, slot, fm.height()),
                           Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, str(j))
