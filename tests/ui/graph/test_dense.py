"""Dense layers: blocks of cells, semantic zoom, clicks on cells, the cells' colours, and the
room the walk's layer gets in presentation mode."""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from nnviz.core import Network
from nnviz.ui.graph.layout import GRID_MIN, compute_layout, drawn_as_cells
from nnviz.ui.look import style
from nnviz.ui.model.selection import Selection


def _open(window, sizes, seed=0):
    window.doc.set_network(Network(sizes, seed=seed), "dense", input_shape=(28, 28))
    window.view.fit()
    QApplication.processEvents()
    return window.view


def _zoom_on(view, x, y, factor):
    """The view ``factor`` times closer than fitted, centred on (x, y)."""
    QApplication.processEvents()  # the window's docks settle first (a workspace may switch)
    view.fit()
    (x0, x1), (y0, y1) = view.vb.viewRange()
    w, h = (x1 - x0) / factor, (y1 - y0) / factor
    view.vb.setRange(xRange=(x - w / 2, x + w / 2), yRange=(y - h / 2, y + h / 2), padding=0)
    QApplication.processEvents()


@pytest.mark.parametrize("n, grid", [(100, (20, 5)), (256, (32, 8)), (1024, (64, 16))])
def test_a_big_layer_is_a_block_with_one_position_per_neuron(n, grid):
    lay = compute_layout([784, n, 10], (28, 28)).layers[1]
    assert lay.grid == grid and lay.n == n
    # every neuron has its own cell, filled column by column, inside the block
    assert len({tuple(p) for p in np.round(lay.pos, 6)}) == n
    rows, cols = grid
    r, c = lay.cell_index(np.arange(n))
    x0, y0, w, h = lay.block_rect()
    np.testing.assert_allclose(lay.pos[:, 0], x0 + (c + 0.5) * lay.cell)
    np.testing.assert_allclose(lay.pos[:, 1], y0 + (r + 0.5) * lay.cell)
    assert w == pytest.approx(cols * lay.cell) and h == pytest.approx(rows * lay.cell)
    assert lay.radius < lay.cell / 2
    # small layers keep their column, where they were
    small = compute_layout([2, 3, 1]).layers
    assert [g.grid for g in small] == [(2, 1), (3, 1), (1, 1)]
    assert [g.x for g in small] == [0.0, 320.0, 640.0]
    assert compute_layout([784, GRID_MIN, 10], (28, 28)).layers[1].grid == (GRID_MIN, 1)


def test_edges_end_at_the_neurons_positions(window):
    view = _open(window, [784, 256, 10])
    lay1, lay2 = view.layout.layers[1], view.layout.layers[2]
    into, out = view.edge_items[0], view.edge_items[1]
    np.testing.assert_allclose(into.seg_all[:, 2:], lay1.pos[into.j_all] - [lay1.radius, 0])
    np.testing.assert_allclose(out.seg_all[:, :2], lay1.pos[out.k_all])
    np.testing.assert_allclose(out.seg_all[:, 2:], lay2.pos[out.j_all] - [lay2.radius, 0])


def _corner_pixel(view, lay, j):
    """A pixel towards a corner of neuron j's cell: inside the cell, outside its disc (where
    the cell is big enough on screen to have such pixels)."""
    x, y = lay.pos[j]
    tiny = lay.cell * view.zoom_level() < 8
    c = view.view_point(x + 0.4 * lay.cell, y + 0.4 * lay.cell)
    for dx in (0, -1, 1, -2, 2):
        for dy in (0, -1, 1, -2, 2):
            pt = QPoint(c.x() + dx, c.y() + dy)
            back = view.vb.mapSceneToView(view.mapToScene(pt))
            bx, by = back.x() - x, back.y() - y
            if max(abs(bx), abs(by)) < 0.48 * lay.cell and (tiny or np.hypot(bx, by) > lay.radius):
                return pt
    raise AssertionError("no pixel of the cell is outside its disc")


@pytest.mark.parametrize("n", [100, 256, 1024])
@pytest.mark.parametrize("factor", [1.0, 2.5, 8.0])
def test_clicking_at_a_cell_selects_its_neuron(window, qtbot, n, factor):
    view, doc = _open(window, [784, n, 10]), window.doc
    lay = view.layout.layers[1]
    js = [0, n // 3, n - 1]
    for j in js:
        x, y = lay.pos[j]
        if factor != 1.0:
            _zoom_on(view, x, y, factor)
        cells = view.drawn_as_cells(1)
        pt = _corner_pixel(view, lay, j) if cells else view.view_point(x, y)
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pt)
        assert doc.selection == Selection("neuron", 1, j), (j, cells)
        assert view.selection_item.data[:2] == (x, y)
        # hover explains the same neuron
        with qtbot.waitSignal(view.hovered) as hovered:
            view.hover_at(view.mapToScene(pt))
        assert hovered.args[0].startswith(f"neuron {j} of layer 1")
    if factor == 1.0 and n >= 256:
        # fitted, a big layer is a block of cells (100 discs may just fit a tall graph)
        assert view.drawn_as_cells(1)
    if factor == 8.0:
        assert not view.drawn_as_cells(1)


def test_the_wheel_over_a_selected_cell_nudges_its_bias(window, qtbot):
    view, doc = _open(window, [784, 256, 10]), window.doc
    lay = view.layout.layers[1]
    assert view.drawn_as_cells(1)
    x, y = lay.pos[77]
    pt = view.view_point(x + 0.3 * lay.cell, y - 0.3 * lay.cell)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pt)
    assert doc.selection == Selection("neuron", 1, 77)
    b0 = doc.net.biases[0][77]
    vp, pos = view.viewport(), QPointF(pt)
    ev = QWheelEvent(pos, QPointF(vp.mapToGlobal(pt)), QPoint(0, 0), QPoint(0, 120),
                     Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                     Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(vp, ev)
    assert doc.net.biases[0][77] == pytest.approx(b0 + 0.1 * max(abs(b0), 1))


def _pixel(view, image, x, y):
    p = view.view_point(x, y)
    ratio = image.devicePixelRatio()
    c = image.pixelColor(int(p.x() * ratio), int(p.y() * ratio))
    return c.red(), c.green(), c.blue()


def test_cell_colours_are_the_cores_a_and_delta_through_the_circles_scales(window, mnist):
    window.doc.set_network(Network([784, 100, 100, 10], seed=1), "dense",
                           input_shape=(28, 28))
    window.use_mnist(mnist)
    view, doc = window.view, window.doc
    view.fit()
    neurons, c = view.neurons_item, view.colours
    # not stepping: a, in the discs' grey ramp (sigmoid: 0 .. 1)
    a = doc.trace.a[1]
    grey = style.activation_fill(a, 0.0, 1.0, c.fill_ramp)
    np.testing.assert_array_equal(neurons.cell_colours(1), np.stack([grey] * 3, axis=-1))
    # at the backward stage of layer 1: δ in the rings' diverging scale
    doc.walk_go(0)
    walk = doc.walk
    walk_index = next(i for i, s in enumerate(walk.stages)
                      if s.kind == "backward" and s.layer == 1)
    doc.walk_go(walk_index)
    walk = doc.walk
    deltas = [walk.grads.delta[l] for l in range(1, walk.L + 1)]
    scale = max(float(np.max(np.abs(d))) for d in deltas)
    for l in (1, 2):
        expected = style.diverging_rgb(np.clip(walk.grads.delta[l] / scale, -1, 1),
                                       c.diverging)
        np.testing.assert_array_equal(neurons.cell_colours(l), expected)
        np.testing.assert_array_equal(neurons.cell_colours(l), neurons.rings[l][0])
    # and that is what is on the screen, cell by cell
    QApplication.processEvents()
    assert view.drawn_as_cells(1) and view.drawn_as_cells(2)
    image = view.grab().toImage()
    lay = view.layout.layers[2]
    for j in (0, 13, 42, 99):
        got = _pixel(view, image, *lay.pos[j])
        assert np.abs(np.subtract(got, neurons.cell_colours(2)[j], dtype=int)).max() <= 2, j
    # a stage before δ^1 is known: layer 1's cells show a again
    doc.walk_go(walk_index - 1)
    np.testing.assert_array_equal(neurons.cell_colours(1), neurons.fills[1])


def test_zooming_switches_each_layer_between_cells_and_discs(window):
    view = _open(window, [784, 256, 30, 10])
    lay = view.layout.layers[1]
    x, y = lay.pos[100]
    # 0.5 px per unit: the 256 (radius 8.4) are cells, the output's 10 (radius 26) discs
    _zoom_on(view, x, y, 0.5 / view.zoom_level())
    assert view.zoom_level() == pytest.approx(0.5)
    assert [view.drawn_as_cells(l) for l in (1, 3)] == [True, False]
    for _ in range(12):  # the Zoom in action until the 256 are discs
        window.act_zoom_in.trigger()
        if not view.drawn_as_cells(1):
            break
    assert not view.drawn_as_cells(1)
    assert lay.radius * view.zoom_level() >= 7.0
    window.act_fit.trigger()
    assert view.drawn_as_cells(1)
    for _ in range(12):  # zoomed out far enough, the output's discs become cells too
        window.act_zoom_out.trigger()
        if view.drawn_as_cells(3):
            break
    assert view.drawn_as_cells(3)
    # the same rule as the paint's, layer by layer
    for g in view.layout.layers[1:]:
        assert view.drawn_as_cells(g.index) == drawn_as_cells(g, view.zoom_level())


def test_the_walks_layer_gets_room_in_presentation_mode(window, mnist):
    view, doc = _open(window, [784, 30, 10]), window.doc
    window.use_mnist(mnist)
    column = view.layout.layers[1]
    assert column.grid == (30, 1)
    doc.walk_go(0)
    back1 = next(i for i, s in enumerate(doc.walk.stages)
                 if s.kind == "backward" and s.layer == 1)
    doc.walk_go(back1)
    window.presentation.enter(full_screen=False)
    assert view.emphasis
    lay = view.layout.layers[1]
    assert lay.grid[1] > 1 and lay.pitch > 2 * column.pitch  # a block of bigger discs
    # the band follows the walk's layer: back at layer 2, layer 1 is a column again
    doc.walk_go(back1 - 1)
    assert view.layout.layers[1].grid == (30, 1)
    doc.walk_go(back1)
    assert view.layout.layers[1].grid[1] > 1
    window.presentation.leave()
    assert not view.emphasis and view.layout.layers[1].grid == (30, 1)


def test_discs_of_a_big_layer_zoomed_in_show_the_fill_and_ring(window, mnist):
    window.doc.set_network(Network([784, 100, 10], seed=2), "dense", input_shape=(28, 28))
    window.use_mnist(mnist)
    view, doc = window.view, window.doc
    doc.walk_go(0)
    doc.walk_go(next(i for i, s in enumerate(doc.walk.stages)
                     if s.kind == "backward" and s.layer == 1))
    delta = doc.walk.grads.delta[1]
    j = int(np.argmax(delta))
    assert delta[j] > 0  # a solid ring
    lay, neurons = view.layout.layers[1], view.neurons_item
    x, y = lay.pos[j]
    _zoom_on(view, x, y, 8.0)
    assert not view.drawn_as_cells(1)
    view.set_option("show_numbers", False)  # the centre pixel is the fill's
    image = view.grab().toImage()
    fill = neurons.fills[1][j]
    assert np.abs(np.subtract(_pixel(view, image, x, y), fill, dtype=int)).max() <= 6
    ring_rgb, ring_w, _ = (v[j] for v in neurons.rings[1])
    got = _pixel(view, image, x + lay.radius + ring_w / 2 + 1, y)
    assert np.abs(np.subtract(got, ring_rgb, dtype=int)).max() <= 8


def test_weight_images_appear_inside_the_cells_when_zoomed_in(window):
    view = _open(window, [784, 256, 10])
    window.act_filters.setChecked(True)
    filters = view.filters_item
    lay = view.layout.layers[1]
    assert filters is not None and filters.side < lay.cell  # inside the cell
    view.fit()
    assert view.drawn_as_cells(1) and not filters.drawn_at(view.zoom_level())
    j = 77
    x, y = lay.pos[j]
    _zoom_on(view, x, y, 10.0)
    assert filters.drawn_at(view.zoom_level())
    image = view.grab().toImage()
    rgb = filters.image_rgb(window.doc.net.weights[0])[j]
    s = filters.side
    for r, c in ((3, 5), (14, 14), (20, 9)):  # weight pixels, at their centres
        px, py = x - s / 2 + (c + 0.5) * s / 28, y - s / 2 + (r + 0.5) * s / 28
        assert np.abs(np.subtract(_pixel(view, image, px, py), rgb[r, c], dtype=int)).max() <= 2


def test_the_output_labels_fit_in_the_fitted_view_of_a_wide_net(window, mnist):
    window.doc.set_network(Network([784, 100, 100, 100, 10], seed=0), "dense",
                           input_shape=(28, 28))
    window.use_mnist(mnist)
    view, doc = window.view, window.doc
    doc.walk_go(0)
    doc.walk_go(next(i for i, s in enumerate(doc.walk.stages) if s.kind == "backward"))
    window.resize(1750, 900)  # labels drawn, enlarged: zoomed out a little
    QApplication.processEvents()
    view.fit()
    view.grab()  # a paint: the labels are measured at the zoom they are drawn at
    labels = view.labels_item
    i = next(i for i, t in enumerate(labels.texts) if "target" in t.text)
    assert labels.mask[i]
    left, _, width, _ = labels._boxes[i]
    (_, x1), _ = view.vb.viewRange()
    assert left + width <= x1


def test_a_huge_net_is_not_laid_out_again_at_each_step(window, mnist):
    view, doc = _open(window, [784, 1300, 10]), window.doc  # 1.03 million edges
    window.use_mnist(mnist)
    doc.walk_go(1)
    view.set_emphasis(True)
    assert view.emphasised_layer() is None and view.layout.emphasis is None
    view.set_emphasis(False)


def test_an_output_block_has_no_labels_beside_its_neurons_and_keeps_its_place(window, mnist):
    view, doc = _open(window, [784, 30, 100]), window.doc
    doc.set_input(mnist.test.x[0] * mnist.test.x_scale, "a digit", np.eye(100)[7])
    assert view.layout.layers[2].grid == (20, 5)
    assert doc.trace is not None
    assert view.labels_item.texts == []  # they would cover the block's other columns
    doc.walk_go(0)
    view.set_emphasis(True)
    for i in range(len(doc.walk.stages)):
        doc.walk_go(i)
        assert view.layout.layers[2].grid == (20, 5)  # never emphasised: the output
    # a small output keeps its column and its labels in presentation mode too
    view = _open(window, [784, 30, 10])
    window.use_mnist(mnist)
    doc.walk_go(0)
    doc.walk_go(next(i for i, s in enumerate(doc.walk.stages) if s.kind == "backward"))
    assert view.emphasis and doc.walk.current_layer == 2
    assert view.layout.layers[2].grid == (10, 1)
    assert any("target" in t.text for t in view.labels_item.texts)
    view.set_emphasis(False)
