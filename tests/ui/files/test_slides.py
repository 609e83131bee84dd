"""Slide-ready exports: the graph at slide size (1920x1080) without presentation mode's key
hint, the equation under it if wanted, the walk's frames as slides numbered as the interface
numbers the stages."""

import numpy as np
from PySide6.QtGui import QImage

from nnviz.core.export import stage_file_stem
from nnviz.ui.files.export import Slide, export_walk_frames, render_slide


def pixels(image: QImage) -> np.ndarray:
    """(h, w, 4) uint8 array of ``image`` as ARGB32 (B, G, R, A in memory)."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    h, w = image.height(), image.width()
    data = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes())
    return data.reshape(h, image.bytesPerLine())[:, :4 * w].reshape(h, w, 4).copy()


def test_ctrl_e_in_presentation_mode_leaves_the_key_hint_out(window, tmp_path):
    pm, exports = window.presentation, window.exports
    pm.enter(full_screen=False)
    assert pm.hint.isVisible()
    assert exports.export_image("graph", str(tmp_path / "with.png"))
    assert pm.hint.isVisible()  # still there on screen
    pm.toggle_hint()
    assert exports.export_image("graph", str(tmp_path / "without.png"))
    a, b = QImage(str(tmp_path / "with.png")), QImage(str(tmp_path / "without.png"))
    assert a.size() == b.size() and np.array_equal(pixels(a), pixels(b))
    pm.leave()


def test_a_slide_is_1920x1080_with_the_equation_if_wanted(window, tmp_path):
    window.load_preset("running-example")
    window.doc.walk_go(6)
    exports = window.exports
    window.presentation.enter(full_screen=False)
    assert exports.slide().text_px == 20 * window.presentation.scale  # 32 px by default
    view = window.view
    size, rect = view.size(), view.vb.viewRect()
    assert exports.export_slide(str(tmp_path / "slide.png"))
    assert view.size() == size and view.vb.viewRect() == rect  # the window as it was
    with_eq = QImage(str(tmp_path / "slide.png"))
    assert with_eq.size().toTuple() == (1920, 1080)
    exports.act_slide_equation.setChecked(False)
    assert exports.export_slide(str(tmp_path / "bare.png"))
    bare = QImage(str(tmp_path / "bare.png"))
    assert bare.size().toTuple() == (1920, 1080)
    # the equation takes the lower part: there the two slides differ
    low_eq, low_bare = pixels(with_eq)[-250:, :, :3], pixels(bare)[-250:, :, :3]
    assert (low_eq < 128).sum() > 4 * max((low_bare < 128).sum(), 1)
    # the graph fills the slide's width, whatever the shape of the view on screen
    dark = np.where((pixels(bare)[:, :, :3] < 128).any(axis=2).any(axis=0))[0]
    assert dark.max() - dark.min() > 0.7 * 1920
    # no hint on a slide: hidden or shown, the same image
    hint = window.presentation.hint
    assert hint.isVisible()
    a = render_slide(window.view, Slide(), hide=(hint,))
    window.presentation.toggle_hint()
    b = render_slide(window.view, Slide())
    assert np.array_equal(pixels(a), pixels(b))
    window.presentation.leave()


def test_walk_frames_are_slides_numbered_as_the_interface_numbers_stages(window, tmp_path):
    window.load_preset("running-example")
    doc, exports = window.doc, window.exports
    doc.walk_go(5)
    label = window.stepping.stage_label.text()
    n = len(doc.walk.stages)
    assert label.startswith(f"Stage 6 of {n}")
    assert stage_file_stem(doc.walk).startswith("stage-06-")
    paths = export_walk_frames(window, doc, tmp_path, slide=exports.slide(),
                               hide=exports.hint_widgets(), sized_for=window.view.sized_for)
    assert [p.name for p in paths] == [f"stage-{i:02d}.png" for i in range(1, n + 1)]
    assert all(QImage(str(p)).size().toTuple() == (1920, 1080) for p in paths)
    assert doc.walk.index == 5
