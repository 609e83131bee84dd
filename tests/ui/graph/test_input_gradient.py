"""The walk's last backward stage on the graph: ∂E/∂x as a diverging overlay on a 784-input
image, as δ rings around a small network's input neurons, and the band's caption."""

import numpy as np
import pytest
from PySide6.QtGui import QImage

from nnviz.core import Network
from nnviz.core.notation import format_number
from nnviz.ui.graph.pixels import MAX_ALPHA, overlay_rgba
from nnviz.ui.look import style


def _mnist_walk(window):
    doc = window.doc
    doc.set_network(Network([784, 30, 10], seed=3, init="scaled"), "m", input_shape=(28, 28))
    rng = np.random.default_rng(0)
    x = np.zeros(784)
    x[rng.choice(784, 200, replace=False)] = rng.uniform(0.2, 1, 200)
    doc.set_input(x)
    doc.set_target(np.eye(10)[4])
    doc.start_stepping()
    return doc


def _grab(view) -> QImage:
    return view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def test_the_input_image_shows_dE_dx_from_the_last_backward_stage_on(window, qtbot):
    doc, view = _mnist_walk(window), window.view
    item = view.pixels_item
    assert item is not None and view.image_item is not None
    L = doc.net.L
    for i in range(2 * L + 2):  # up to δ¹: nothing on the pixels yet
        doc.walk_go(i)
        assert item.rgba is None and item.caption == ""
    doc.walk_go(2 * L + 2)
    g = doc.walk.input_gradient
    assert doc.walk.stage.layer == 0 and np.abs(g).max() > 0
    rgba = item.rgba
    assert rgba.shape == (28, 28, 4)
    flat = rgba.reshape(784, 4)
    palette = view.colours.diverging
    # the sign's colour of the diverging scale, opacity growing with |∂E/∂x|
    assert (flat[g > 0, :3] == style.diverging_rgb(1.0, palette)).all()
    assert (flat[g < 0, :3] == style.diverging_rgb(-1.0, palette)).all()
    assert (flat[g == 0, 3] == 0).all()
    top = int(np.argmax(np.abs(g)))
    assert flat[top, 3] == round(255 * MAX_ALPHA) == flat[:, 3].max()
    order = np.argsort(np.abs(g), kind="stable")
    assert (np.diff(flat[order, 3].astype(int)) >= 0).all()
    assert item.scale == np.abs(g).max()
    assert item.caption == f"∂E/∂x: full colour at ±{format_number(np.abs(g).max())}"
    assert view.band_item.caption == "δ⁰ = ∂E/∂x"
    # on screen: the most important pixel takes its sign's colour
    row, col = divmod(top, 28)
    x, y, w, h = view.layout.layers[0].image_rect
    centre = view.view_point(x + (col + 0.5) * w / 28, y + (row + 0.5) * h / 28)
    sign_rgb = style.diverging_rgb(np.sign(g[top]), palette)
    qtbot.waitUntil(lambda: _distance(_grab(view).pixelColor(centre), sign_rgb) < 60)
    # the gradients and update stages keep it; stepping back to δ¹ takes it away
    doc.walk_go(2 * L + 3)
    assert item.rgba is not None
    doc.walk_go(2 * L + 1)
    assert item.rgba is None
    qtbot.waitUntil(lambda: _distance(_grab(view).pixelColor(centre), sign_rgb) > 60)


def _distance(colour, rgb) -> float:
    return float(np.abs(np.array([colour.red(), colour.green(), colour.blue()])
                        - np.asarray(rgb, dtype=float)).max())


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_overlay_uses_the_themes_diverging_scale(theme):
    from nnviz.ui.look.theme import Appearance

    palette = Appearance(theme=theme).colours().diverging
    g = np.linspace(-2, 1, 784)
    rgba, scale = overlay_rgba(g, palette, (28, 28))
    assert scale == 2.0
    flat = rgba.reshape(784, 4)
    assert (flat[0, :3] == palette.negative).all() and flat[0, 3] == round(255 * MAX_ALPHA)
    assert (flat[-1, :3] == palette.positive).all()
    assert flat[-1, 3] == round(255 * MAX_ALPHA * 0.5 ** 0.6)


def test_a_small_networks_inputs_get_delta_rings(window):
    doc, view = window.doc, window.view
    window.load_preset("running-example")
    doc.start_stepping()
    L = doc.net.L
    doc.walk_go(2 * L + 1)  # δ¹: the input has no ring yet
    assert 0 not in view.neurons_item.rings and 1 in view.neurons_item.rings
    doc.walk_go(2 * L + 2)
    g = doc.walk.input_gradient
    rgb, width, negative = view.neurons_item.rings[0]
    assert (negative == (g < 0)).all()
    scale = view.legend.delta_scale  # the rings' shared scale: all δ known, δ⁰ too
    assert scale == max(np.abs(d).max() for d in doc.walk.grads.delta)
    assert (rgb == style.diverging_rgb(np.clip(g / scale, -1, 1),
                                       view.colours.diverging)).all()
    assert view.band_item.caption == "δ⁰ = ∂E/∂x"
    assert view.pixels_item is None  # no image here
