"""Presentation mode reads from the back of a hall: text sized from the screen's height (32 px
body text at 1,080 lines, formula indices ≥ 22 px), equations that fit instead of being cut
off, dark plot text of a size to match and a large readout of the run's progress."""

import pytest
from PySide6.QtGui import QFontInfo

TIMEOUT = 60000


def present(window, qtbot, size, stage=6):
    window.load_preset("running-example")
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size().toTuple() == size, timeout=2000)
    window.doc.walk_go(stage)
    window.presentation.enter(full_screen=False)


def glyph_sizes(browser):
    """Pixel sizes of the fonts the equations are drawn with (indices are smaller)."""
    sizes = []
    block = browser.document().begin()
    while block.isValid():
        layout = block.layout()
        for i in range(layout.lineCount()):
            sizes += [run.rawFont().pixelSize() for run in layout.lineAt(i).glyphRuns()]
        block = block.next()
    return sizes


def test_text_is_sized_from_the_screen_at_1080_lines(window, qtbot):
    present(window, qtbot, (1920, 1080))
    assert QFontInfo(window.font()).pixelSize() >= 32
    qtbot.waitUntil(lambda: bool(glyph_sizes(window.equations.text)), timeout=2000)
    sizes = glyph_sizes(window.equations.text)
    assert max(sizes) >= 32  # the formula lines
    assert min(sizes) >= 22  # their indices (sub- and superscripts) too
    window.presentation.leave()
    assert QFontInfo(window.font()).pixelSize() < 20


def test_text_follows_the_screen_height_and_the_scale(window, qtbot):
    present(window, qtbot, (1280, 720))
    pm = window.presentation
    small = QFontInfo(window.font()).pixelSize()
    assert small == pytest.approx(32 * 720 / 1080, abs=1)
    pm.set_scale(pm.scale + 0.4)
    assert QFontInfo(window.font()).pixelSize() == pytest.approx(small * 2.0 / 1.6, abs=1)
    pm.leave()


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720), (1024, 768)])
def test_the_equations_fit_and_scroll_when_they_cannot(window, qtbot, size):
    present(window, qtbot, size)
    pm, bar = window.presentation, window.equations.text.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() == 0, timeout=2000)  # the whole result shows
    pm.set_scale(pm.scale + 0.2)  # Ctrl+Plus: the panel grows with the text
    if size[1] >= 1080:
        qtbot.waitUntil(lambda: bar.maximum() == 0, timeout=2000)
    pm.set_scale(3.0)  # too large to fit: the rest scrolls, nothing is cut off
    qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.isVisible(), timeout=2000)
    assert window.equations_dock.height() <= 0.56 * size[1]  # the graph keeps its room
    assert not window.equations.check_button.isVisible()  # Ctrl+G checks while presenting
    pm.leave()
    assert window.equations.check_button.isVisible()


def test_plot_text_is_large_and_dark_and_a_readout_shows_the_run(window, qtbot):
    window.load_preset("2-3-1")
    window.resize(1920, 1080)
    window.training.epochs.setValue(8)
    window.training.pace.setValue(1000)
    pm, plots = window.presentation, window.plots
    pm.enter(full_screen=False)
    with qtbot.waitSignal(window.trainer.finished, timeout=TIMEOUT):
        pm.toggle_training()
    px = pm.text_px()
    for plot in (plots.error_plot, plots.acc_plot):
        axis = plot.getPlotItem().getAxis("bottom")
        assert QFontInfo(axis.style["tickFont"]).pixelSize() >= 0.8 * px >= 25
        assert max(axis.textPen().color().getRgb()[:3]) <= 60  # dark on the light theme
    assert plots.readout.isVisible() and not plots.runs.isVisible()
    assert plots.readout.text().startswith("Epoch 8 / 8")
    assert "%" in plots.readout.text()
    assert QFontInfo(plots.readout.font()).pixelSize() >= 1.4 * px
    pm.leave()
    assert plots.readout.isHidden() and not plots.runs.isHidden()
    axis = plots.error_plot.getPlotItem().getAxis("bottom")
    assert axis.style["tickFont"] is None
