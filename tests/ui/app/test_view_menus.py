"""The View menu's appearance choices (remembered, applied everywhere) and File › Export."""

import xml.etree.ElementTree as ET

import pytest
from PySide6.QtGui import QImage

from nnviz.ui.look import theme


@pytest.fixture
def looks(window):
    yield window.looks
    window.looks.set_theme("light")  # the application palette is global: leave it light
    window.looks.set_palette("orange-blue")
    window.looks.act_contrast.setChecked(False)


def test_theme_palette_and_contrast_apply_everywhere_and_are_remembered(window, looks,
                                                                        settings):
    looks.set_theme("dark")
    assert window.view.appearance.theme == "dark" and settings.value("appearance/theme") == "dark"
    assert window.plots.error_plot.backgroundBrush().color().lightness() < 80
    looks.set_palette("vermillion-blue")
    assert window.view.appearance.palette == "vermillion-blue"
    assert window.inspector.appearance.palette == "vermillion-blue"
    looks.act_contrast.trigger()
    assert window.view.appearance.high_contrast
    assert str(settings.value("appearance/high_contrast")).lower() == "true"
    with pytest.raises(ValueError):
        looks.set_theme("purple")


def test_a_theme_change_in_presentation_mode_outlives_the_mode(window, looks):
    pm = window.presentation
    pm.enter(full_screen=False)
    looks.set_theme("dark")
    assert window.view.appearance.theme == "dark" and window.view.appearance.high_contrast
    pm.leave()
    assert window.view.appearance == theme.Appearance("dark")


def test_exports_write_images_and_refuse_a_table_without_a_walk(window, tmp_path,
                                                                warnings_shown):
    ex = window.exports
    assert ex.export_image("graph", str(tmp_path / "g.png"))
    image = QImage(str(tmp_path / "g.png"))
    assert image.width() == 2 * window.view.width()
    assert ex.export_image("graph", str(tmp_path / "g.svg"))
    ET.parse(tmp_path / "g.svg")
    assert not ex.export_image("graph", str(tmp_path / "missing" / "g.png"))
    assert warnings_shown and "missing" in warnings_shown[-1][1]
    ex.ask_table()
    assert "Step through" in warnings_shown[-1][1]


def test_cli_dark_theme_screenshot(qapp, tmp_path):
    from nnviz.cli import main

    shot = tmp_path / "dark.png"
    try:
        assert main(["--preset", "xor", "--theme", "dark", "--screenshot", str(shot), "--size",
                     "900x600"]) == 0
    finally:
        theme.apply_theme(qapp, "light")
    image = QImage(str(shot))
    # The graph's background (low in the middle, away from neurons) is dark.
    assert image.pixelColor(520, 520).lightness() < 80
