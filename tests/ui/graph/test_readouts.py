"""Each layer's signal at a glance: the readout under every layer is the core's number
(``core.layer_stats``) formatted — the share of saturated or dead units on forward stages and
when not stepping, ‖δ^l‖ (RMS) on backward stages — and it is drawn clear of the band's
caption and of the legend, in normal and presentation mode, light and dark."""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRectF

from nnviz.core import Network
from nnviz.core.layer_stats import Share, delta_rms, layer_share
from nnviz.core.notation import sup
from nnviz.ui.graph.readouts import delta_text, share_text
from nnviz.ui.look.theme import Appearance

DEEP = [784, 100, 100, 100, 10]


def readouts(view) -> dict[int, str]:
    """Layer → the text of its readout."""
    by_x = {lay.x: lay.index for lay in view.layout.layers}
    return {by_x[t.x]: t.text for t in view.readouts_item.texts}


@pytest.fixture
def deep(window, mnist):
    """A 784-100-100-100-10 sigmoid net with N(0, 1) weights (many saturated units) on a
    test digit."""
    window.doc.set_network(Network(DEEP, "sigmoid", seed=2), "deep", input_shape=(28, 28))
    window.use_mnist(mnist)
    return window


def test_share_and_delta_texts():
    assert share_text(Share("saturated", 0.12, 100)) == "12% saturated"
    assert share_text(Share("dead", 0.3, 10)) == "30% dead"
    assert share_text(Share("dead", 0.0, 10)) == "0% dead"
    assert share_text(Share("dead", 1.0, 10)) == "100% dead"
    assert share_text(Share("saturated", 0.004, 256)) == "<1% saturated"
    assert share_text(Share("saturated", 0.996, 256)) == ">99% saturated"
    assert delta_text(3.14159e-3) == "‖δ‖ 3.1e-3"
    assert delta_text(0.1149) == "‖δ‖ 1.1e-1"
    assert delta_text(12.0) == "‖δ‖ 1.2e1"
    assert delta_text(0.0) == "‖δ‖ 0"


def test_forward_readouts_are_the_core_shares(deep):
    doc, view = deep.doc, deep.view
    assert doc.walk is None  # not stepping: every layer's share
    shown = readouts(view)
    assert sorted(shown) == [1, 2, 3, 4]
    for l in range(1, 5):
        a = doc.trace.a[l]
        share = layer_share(doc.net.activations[l - 1], a)
        # by hand: units within 0.02 of 0 or 1
        assert share.share == np.mean((a <= 0.02) | (a >= 0.98))
        assert shown[l] == f"{round(100 * share.share)}% saturated"
    assert any(not text.startswith("0%") for text in shown.values())
    doc.walk_go(2)  # forward, layer 2: layers 3 and 4 are not computed yet
    assert sorted(readouts(view)) == [1, 2]


def test_backward_readouts_are_the_core_delta_norms(deep):
    doc, view = deep.doc, deep.view
    L = doc.net.L
    doc.walk_go(L + 3)  # backward, layer L − 1: δ of layers L − 1 and L is known
    assert doc.walk.stage.kind == "backward"
    shown = readouts(view)
    assert sorted(shown) == [L - 1, L]
    for l in (L - 1, L):
        rms = float(np.sqrt(np.mean(doc.walk.grads.delta[l] ** 2)))
        assert rms == pytest.approx(delta_rms(doc.walk.grads.delta[l]))
        mantissa, exponent = f"{rms:.1e}".split("e")
        assert shown[l] == f"‖δ‖ {mantissa}e{int(exponent)}"
    doc.walk_go(2 * L + 1)  # the last backward stage: every layer
    assert sorted(readouts(view)) == [1, 2, 3, 4]


def test_relu_layers_read_dead_units(window, mnist):
    window.doc.set_network(Network([784, 30, 10], ["relu", "softmax"], "log-likelihood",
                                   seed=1, init="he"), "relu", input_shape=(28, 28))
    window.use_mnist(mnist)
    a = window.doc.trace.a[1]
    shown = readouts(window.view)
    assert shown == {1: f"{round(100 * np.mean(a == 0))}% dead"}  # softmax: no share


@pytest.mark.parametrize("presenting", [False, True])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_readouts_are_drawn_clear_of_the_caption_the_legend_and_the_hint(deep, presenting,
                                                                       theme):
    doc, view, pm = deep.doc, deep.view, deep.presentation
    if presenting:
        pm.enter()
    view.set_appearance(Appearance(theme=theme, scale=view.appearance.scale))
    assert view.colours.scale == (1.6 if presenting else 1.0)
    for stage in (3, doc.net.L + 3, 2 * doc.net.L + 1):
        doc.walk_go(stage)  # the view fitted itself to the network and its readouts
        view.grab()  # paints: places the readouts
        item = view.readouts_item
        assert [text for text, _ in item.placed] == [t.text for t in item.texts]
        assert len(item.placed) == len(readouts(view)) >= 2
        band = view.band_item.band
        s = view.colours.scale
        caption_bottom = view.view_point(band.left(), band.bottom() + 26 * s).y()
        viewport = QRectF(view.viewport().rect())
        boxes = [box for _, box in item.placed]
        for i, box in enumerate(boxes):
            assert viewport.contains(box)  # on screen, whole
            assert not box.intersects(QRectF(view.legend.geometry()))
            assert box.top() >= caption_bottom  # under the band's caption
            assert not any(box.intersects(other) for other in boxes[:i])
            if presenting:
                assert not box.intersects(QRectF(pm.hint.geometry()))
        # The text is the theme's: dark text on the light theme, light on the dark.
        assert (item.colours.text[0] > 128) == (theme == "dark")
    if presenting:
        pm.leave()


def test_hovering_a_readout_tells_its_full_value(deep, qtbot):
    from PySide6.QtWidgets import QToolTip

    doc, view = deep.doc, deep.view
    L = doc.net.L
    doc.walk_go(L + 3)  # δ of layers L − 1 and L
    qtbot.wait(50)  # the window's docks settle (stepping brings its workspace) and the view refits
    view.grab()
    item = view.readouts_item
    (text, box), rms = item.placed[0], delta_rms(doc.walk.grads.delta[L - 1])
    assert text == delta_text(rms)
    centre = box.center().toPoint()
    tip = item.tip_at(item.mapFromScene(view.mapToScene(centre)))
    assert tip.startswith(f"‖δ{sup(L - 1)}‖ = {rms:.10g}\nthe RMS of δ")
    assert item.tip_at(item.mapFromScene(view.mapToScene(centre + QPoint(0, 60)))) is None
    moves = []

    def shown() -> bool:  # pyqtgraph handles a move per frame at most: move until it shows
        moves.append(len(moves) % 2)
        qtbot.mouseMove(view.viewport(), centre + QPoint(moves[-1], 0))
        return QToolTip.text() == tip

    qtbot.waitUntil(shown, timeout=3000)
    doc.stop_stepping()  # not stepping: the share, with the count of units behind it
    view.grab()
    share = layer_share(doc.net.activations[0], doc.trace.a[1])
    tip = item.tip_at(item._boxes[0].center())
    assert tip.startswith(f"{round(share.share * 100)} of the 100 neurons of layer 1 are "
                          f"saturated (a share of {share.share:.10g})")
