"""Exports for slides (nnviz.ui.files.export): PNGs re-rendered at 2×, SVG, the clipboard, one frame
per stage of the walk, the stage's numbers as CSV / LaTeX, and clear errors."""

import csv
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QProgressDialog

from nnviz.core.export import stage_table, to_csv, to_latex
from nnviz.ui.files.export import (
    copy_to_clipboard,
    dialog_progress,
    export_png,
    export_stage_table,
    export_svg,
    export_walk_frames,
    export_walk_frames_with_dialog,
    render_image,
)

SVG = "{http://www.w3.org/2000/svg}"


def pixels(image: QImage) -> np.ndarray:
    """(h, w, 4) uint8 array of ``image`` as ARGB32 (B, G, R, A in memory)."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    h, w = image.height(), image.width()
    data = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes())
    return data.reshape(h, image.bytesPerLine())[:, :4 * w].reshape(h, w, 4).copy()


def show_plots(window, qtbot):
    window.drawing_dock.show()
    window.plots_dock.show()
    window.plots_dock.resize(900, 300)
    epochs = np.arange(1, 9)
    window.plots.curves["train"].setData(epochs, 0.3 * np.exp(-epochs / 3))
    window.plots.curves["test"].setData(epochs, 0.3 * np.exp(-epochs / 4) + 0.02)
    qtbot.waitUntil(lambda: window.plots.error_plot.isVisible())
    QApplication.processEvents()


@pytest.mark.parametrize("scale", [1.0, 2.0])
@pytest.mark.parametrize("which", ["view", "error plot", "drawing"])
def test_png_has_scale_times_the_widgets_pixels(window, qtbot, tmp_path, which, scale):
    show_plots(window, qtbot)
    widget = {"view": window.view, "error plot": window.plots.error_plot,
              "drawing": window.drawing}[which]
    path = tmp_path / "out.png"
    size = export_png(widget, path, scale=scale)
    expected = QSize(round(widget.width() * scale), round(widget.height() * scale))
    assert size == expected
    image = QImage(str(path))
    assert not image.isNull() and image.size() == expected
    assert len(np.unique(pixels(image).reshape(-1, 4), axis=0)) > 10  # not blank
    # A 2× PNG keeps the on-screen size where the reader honours its resolution.
    assert image.dotsPerMeterX() == round(96 * scale / 0.0254)


@pytest.mark.parametrize("which", ["view", "error plot"])
def test_2x_png_shows_what_the_screen_shows(window, qtbot, which):
    """Whole viewport, nothing cropped or shifted, lines as wide as on screen: the 2× image
    averaged down to 1× is close to a screen grab (text is re-rendered, so not identical)."""
    show_plots(window, qtbot)
    window.doc.walk_go(5)
    widget = window.view if which == "view" else window.plots.error_plot
    big = pixels(render_image(widget, 2.0)).astype(float)
    h, w = widget.height(), widget.width()
    small = big[:2 * h, :2 * w].reshape(h, 2, w, 2, 4).mean(axis=(1, 3))
    grab = pixels(widget.grab().toImage()).astype(float)
    assert grab.shape == small.shape
    assert np.abs(small - grab).mean() < 2.0
    # As much ink: cosmetic (pixel-wide) pens are twice as wide at 2×, not hairlines.
    ink = (255 - small[..., :3]).sum() / (255 - grab[..., :3]).sum()
    assert 0.96 < ink < 1.04


def test_exporting_leaves_the_widgets_as_they_were(window, qtbot, tmp_path):
    show_plots(window, qtbot)
    set_pen = QPainter.setPen
    before = [pixels(w.grab().toImage()) for w in (window.view, window.plots.error_plot)]
    modes = [w.cacheMode() for w in (window.view, window.plots.error_plot)]
    export_png(window.plots, tmp_path / "plots.png", scale=3.0)
    export_png(window.view, tmp_path / "view.png", scale=2.0)
    assert QPainter.setPen is set_pen
    assert [w.cacheMode() for w in (window.view, window.plots.error_plot)] == modes
    after = [pixels(w.grab().toImage()) for w in (window.view, window.plots.error_plot)]
    for a, b in zip(before, after):
        assert np.array_equal(a, b)


def test_svg_parses_with_the_widgets_size(window, qtbot, tmp_path):
    show_plots(window, qtbot)
    for widget, name in ((window.plots.error_plot, "plot"), (window.view, "view")):
        path = tmp_path / f"{name}.svg"
        assert export_svg(widget, path, title=f"nnviz {name}") == widget.size()
        root = ET.parse(path).getroot()
        w, h = widget.width(), widget.height()
        assert root.tag == f"{SVG}svg"
        assert (root.get("width"), root.get("height")) == (str(w), str(h))
        assert root.get("viewBox") == f"0 0 {w} {h}"
        assert root.find(f"{SVG}title").text == f"nnviz {name}"
        shapes = [e for e in root.iter() if e.tag in (f"{SVG}path", f"{SVG}polyline")]
        assert len(shapes) > 5  # vectors, not one embedded picture
        assert not [e for e in root.iter() if e.tag == f"{SVG}image"]


def test_clipboard_holds_the_image(window):
    size = copy_to_clipboard(window.view, scale=2.0)
    assert size == window.view.size() * 2
    image = QApplication.clipboard().image()
    assert not image.isNull() and image.size() == size


def test_walk_frames_one_per_stage_and_the_users_stage_restored(window, tmp_path):
    doc = window.doc
    doc.walk_go(3)
    weights = [w.copy() for w in doc.net.weights]
    seen = []
    paths = export_walk_frames(window, doc, tmp_path / "frames", scale=1.0,
                               progress=lambda i, n: seen.append((i, n)))
    n = len(doc.walk.stages)
    assert [p.name for p in paths] == [f"stage-{i:02d}.png" for i in range(1, n + 1)]
    assert sorted(p.name for p in (tmp_path / "frames").iterdir()) == [p.name for p in paths]
    images = [QImage(str(p)) for p in paths]
    assert all(not im.isNull() and im.size() == window.view.size() for im in images)
    assert not np.array_equal(pixels(images[0]), pixels(images[-2]))  # the stages differ
    assert seen == [(i, n) for i in range(n + 1)]
    assert doc.stepping and doc.walk.index == 3
    assert all(np.array_equal(a, b) for a, b in zip(weights, doc.net.weights))


def test_walk_frames_start_stepping_and_leave_it_off_again(window, tmp_path):
    doc = window.doc
    assert doc.walk is None
    weights = [w.copy() for w in doc.net.weights]
    paths = export_walk_frames(window.view, doc, tmp_path, scale=2.0)
    assert len(paths) == 2 * doc.net.L + 5
    assert QImage(str(paths[-1])).size() == window.view.size() * 2
    assert not doc.stepping and doc.walk is None
    assert doc.undo_stack.isClean()  # the update stage's step was not kept
    assert all(np.array_equal(a, b) for a, b in zip(weights, doc.net.weights))


def test_walk_frames_can_be_cancelled(window, tmp_path):
    out = tmp_path / "out"
    paths = export_walk_frames(window, window.doc, out, progress=lambda i, n: i < 3)
    assert [p.name for p in paths] == ["stage-01.png", "stage-02.png", "stage-03.png"]
    assert len(list(out.iterdir())) == 3


def test_walk_frames_refused_when_the_walk_cannot_start(window, tmp_path):
    doc = window.doc
    doc.lock("training is running")
    with pytest.raises(ValueError) as info:
        export_walk_frames(window, doc, tmp_path / "out")
    assert str(info.value) == doc.walk_problem == "Cannot step now: training is running."
    assert not doc.stepping and not (tmp_path / "out").exists()


def test_walk_frames_with_a_progress_dialog(window, tmp_path):
    paths = export_walk_frames_with_dialog(window, window, window.doc, tmp_path / "out")
    assert len(paths) == len(list((tmp_path / "out").iterdir())) == 2 * window.doc.net.L + 5
    dialog = QProgressDialog("", "Cancel", 0, 1)
    report = dialog_progress(dialog)
    assert report(0, 10) is True and dialog.maximum() == 10
    dialog.cancel()
    assert report(1, 10) is False
    dialog.deleteLater()


def test_stage_table_files_hold_the_stages_numbers(window, tmp_path):
    doc = window.doc
    doc.walk_go(5)  # xor: backward, layer 1
    walk = doc.walk
    assert walk.stage.kind == "backward"
    path = export_stage_table(doc, tmp_path / "stage.csv")
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["j", "z^1_j", "sigma'(z^1_j)", "delta^1_j"]
    assert [float(r[1]) for r in rows[1:]] == walk.trace.z[1].tolist()
    assert [float(r[3]) for r in rows[1:]] == walk.grads.delta[1].tolist()
    assert path.read_text(encoding="utf-8") == to_csv(stage_table(walk))
    tex = export_stage_table(doc, tmp_path / "stage.TEX").read_text(encoding="utf-8")
    assert tex == to_latex(stage_table(walk))
    assert "\\begin{tabular}" in tex and "$\\delta^{1}_{j}$" in tex


def test_stage_table_refusals(window, tmp_path):
    doc = window.doc
    with pytest.raises(ValueError, match="Start stepping"):
        export_stage_table(doc, tmp_path / "t.csv")
    doc.start_stepping()
    with pytest.raises(ValueError, match=r"\.csv or \.tex"):
        export_stage_table(doc, tmp_path / "t.txt")
    assert not (tmp_path / "t.csv").exists() and not (tmp_path / "t.txt").exists()


def test_unwritable_paths_give_oserror_naming_the_path(window, tmp_path):
    window.doc.start_stepping()
    missing = tmp_path / "no such folder"
    for export, name in ((lambda p: export_png(window.view, p), "v.png"),
                         (lambda p: export_svg(window.view, p), "v.svg"),
                         (lambda p: export_stage_table(window.doc, p), "t.csv")):
        with pytest.raises(OSError) as info:
            export(missing / name)
        assert str(missing / name) in str(info.value)
    blocker = tmp_path / "a file"
    blocker.write_text("")
    window.doc.walk_go(2)
    with pytest.raises(OSError) as info:
        export_walk_frames(window, window.doc, blocker / "frames")
    assert str(blocker / "frames") in str(info.value)
    assert window.doc.stepping and window.doc.walk.index == 2


def test_bad_scales_are_refused(window, tmp_path):
    for scale in (0, -1, float("nan"), "big"):
        with pytest.raises(ValueError, match="scale"):
            export_png(window.view, tmp_path / "x.png", scale=scale)
    assert not (tmp_path / "x.png").exists()
    window.plots_dock.hide()
    with pytest.raises(ValueError, match="show the panel"):
        export_png(window.plots, tmp_path / "x.png")
    with pytest.raises(ValueError, match="show the panel"):
        export_svg(window.plots, tmp_path / "x.svg")
