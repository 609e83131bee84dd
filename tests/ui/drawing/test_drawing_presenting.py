"""The drawing panel in presentation mode: laid out for the large type (no cut-off button
texts or labels, a large canvas, bar labels that do not overlap)."""

import numpy as np
import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel


def fits(widget) -> bool:
    """Whether the whole text of a button or label shows."""
    fm = widget.fontMetrics()
    if isinstance(widget, QLabel):
        if widget.wordWrap():
            return widget.heightForWidth(widget.width()) <= widget.height() + 1
        return widget.sizeHint().width() <= widget.width() + 1
    return fm.horizontalAdvance(widget.text()) + 8 <= widget.width()


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_the_drawing_panel_is_laid_out_for_the_large_type(window, qtbot, size):
    window.load_preset("mnist-30")
    window.drawing_dock.show()
    pm, panel = window.presentation, window.drawing
    pm.enter(full_screen=False)
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size().toTuple() == size, timeout=2000)
    qtbot.waitUntil(lambda: window.drawing_dock.width() >= 0.45 * size[0], timeout=2000)
    assert window.drawing_dock.isVisible() and panel.narrow  # stacked: the canvas on top
    panel.bars.set_outputs(np.linspace(0.1, 0.9, 10) ** 2)  # answer 9
    qtbot.wait(1)
    widgets = [w for w in panel.findChildren(QAbstractButton) + panel.findChildren(QLabel)
               if w.isVisible() and w.text()]
    assert len(widgets) >= 8
    cut = [w.text() for w in widgets if not fits(w)]
    assert not cut
    side = min(panel.canvas.width(), panel.canvas.height())
    assert side >= 0.25 * size[1] and side >= 0.9 * 280 * size[1] / 1080
    bars = panel.bars
    answer = bars._geometry()[0]
    assert bars.fontMetrics().horizontalAdvance("no input") <= answer.width()
    labelled = bars.labelled_bars()
    slot = bars.plot_rect().width() / 10
    width = bars.fontMetrics().horizontalAdvance("9")
    assert 9 in labelled and all((b - a) * slot >= width * 1.2
                                 for a, b in zip(labelled, labelled[1:]))
    pm.leave()
