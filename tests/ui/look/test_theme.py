"""Appearance: the application theme, the graph's colours, its size factor, which numbers are
readable, the dashed-negative cue and the alternative palette."""

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPalette

from nnviz.core import Network
from nnviz.ui.graph.items import LIGHT
from nnviz.ui.look import style, theme
from nnviz.ui.look.theme import PALETTES, THEMES, Appearance
from nnviz.ui.model.selection import Selection

DARK = Appearance("dark")


@pytest.fixture(autouse=True)
def restore_application_look(qapp):
    """apply_theme changes the QApplication and pyqtgraph for everyone: put them back."""
    palette, style_name = QPalette(qapp.palette()), qapp.style().name()
    config = {k: pg.getConfigOption(k) for k in ("background", "foreground")}
    yield
    if qapp.style().name() != style_name:
        qapp.setStyle(style_name)
    qapp.setPalette(palette)
    pg.setConfigOptions(**config)


def luminance(qcolor) -> float:
    return float(style.relative_luminance(qcolor.getRgb()[:3]))


def grab(view) -> QImage:
    return view.grab().toImage()


# -- the application ---------------------------------------------------------------------------
def test_apply_theme_sets_a_dark_or_light_palette(qapp):
    theme.apply_theme(qapp, "dark")
    pal = qapp.palette()
    assert qapp.style().name().lower() == "fusion"
    assert luminance(pal.color(QPalette.ColorRole.Window)) < 0.2
    assert luminance(pal.color(QPalette.ColorRole.Base)) < 0.2
    assert luminance(pal.color(QPalette.ColorRole.WindowText)) > 0.7
    assert luminance(pal.color(QPalette.ColorRole.Text)) > 0.7
    disabled = pal.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    assert 0.1 < luminance(disabled) < 0.7  # greyed out, still visible on the dark base
    assert style.contrast_ratio(pal.color(QPalette.ColorRole.HighlightedText).getRgb()[:3],
                                pal.color(QPalette.ColorRole.Highlight).getRgb()[:3]) >= 4.5
    assert style.relative_luminance(pg.mkColor(pg.getConfigOption("background")).getRgb()[:3]) \
        < 0.2
    theme.apply_theme(qapp, "light")
    pal = qapp.palette()
    assert luminance(pal.color(QPalette.ColorRole.Window)) > 0.7
    assert luminance(pal.color(QPalette.ColorRole.WindowText)) < 0.2
    assert pg.mkColor(pg.getConfigOption("background")).getRgb()[:3] == (255, 255, 255)
    assert theme.system_theme() in THEMES
    with pytest.raises(ValueError):
        theme.apply_theme(qapp, "sepia")


def test_appearance_checks_its_values():
    assert Appearance() == Appearance("light", "orange-blue", 1.0, False)
    for bad in (dict(theme="sepia"), dict(palette="rainbow"), dict(scale=0.1)):
        with pytest.raises(ValueError):
            Appearance(**bad)
    assert theme.resolve_theme("dark") == "dark" and theme.resolve_theme(None) in THEMES


def test_apply_appearance_reaches_every_themed_widget(window, qapp):
    theme.apply_appearance(window, DARK)
    assert window.view.appearance == DARK
    plot = window.findChild(pg.PlotWidget)
    if plot is not None:
        assert luminance(plot.backgroundBrush().color()) < 0.2


# -- the graph's colours -----------------------------------------------------------------------
def test_dark_graph_then_light_again_is_exactly_todays_look(window, qtbot):
    view = window.view
    before = grab(view)
    assert view.appearance == Appearance() and view.colours == LIGHT
    view.set_appearance(DARK)
    dark = grab(view)
    corner = dark.pixelColor(5, dark.height() - 5)
    assert luminance(corner) < 0.05  # the background
    assert luminance(view.backgroundBrush().color()) < 0.05
    c = view.neurons_item.colours
    assert luminance(pg.mkColor(c.outline)) > 0.5 and luminance(pg.mkColor(c.text)) > 0.7
    assert view.edge_items[0].colours.background == c.background
    # More active = more ink: a full activation is bright on the dark background.
    lo, hi = c.fill_ramp
    assert lo < 60 < 200 < hi
    view.set_appearance(Appearance())
    assert view.colours == LIGHT and view.neurons_item.colours == LIGHT
    assert grab(view) == before


def test_dark_activation_fills_rise_with_activation(window):
    view = window.view
    view.set_appearance(DARK)
    fills = view.neurons_item.fills[1][:, 0].astype(int)
    a = window.doc.trace.a[1]
    assert np.all(np.diff(fills[np.argsort(a)]) >= 0)  # brighter as a grows


# -- size --------------------------------------------------------------------------------------
def test_scale_two_doubles_radius_edge_widths_and_fonts(window):
    view = window.view
    r1 = [view.neuron_radius(l) for l in range(3)]
    pens1 = [view.edge_items[0].bin_pen(level).widthF() for level in range(2 * style.LEVELS)]
    sel1 = view.selection_item.pen().widthF()
    font1 = view.labels_item.colours.font_label
    view.set_appearance(Appearance(scale=2.0))
    r2 = [view.neuron_radius(l) for l in range(3)]
    assert r2 == pytest.approx([2 * r for r in r1])
    assert view.neurons_item.bias_radius == 2 * view.neurons_item.BIAS_RADIUS
    pens2 = [view.edge_items[0].bin_pen(level).widthF() for level in range(2 * style.LEVELS)]
    assert pens2 == pytest.approx([2 * w for w in pens1])
    assert view.labels_item.colours.font_label == 2 * font1
    assert view.selection_item.pen().widthF() == 2 * sel1 >= 8
    # The view refitted: the whole (now larger) network is in sight.
    (vx0, vx1), (vy0, vy1) = view.vb.viewRange()
    x0, y0, x1, y1 = view.bounds()
    assert vx0 <= x0 and vx1 >= x1 and vy0 <= y0 and vy1 >= y1
    view.set_appearance(Appearance(scale=1.5, high_contrast=True))
    assert view.selection_item.pen().widthF() >= 7  # seen from the back of the room


def test_scale_widens_cosmetic_pens_of_big_layers(window):
    window.load_preset("mnist-30")
    view = window.view
    dense, medium = view.edge_items
    assert dense.dense and medium.medium and not medium.dense
    w1 = {(e.dense, lvl): e.bin_pen(lvl).widthF() for e in (dense, medium) for lvl in (3, 15)}
    assert w1 == {(True, 3): 1, (True, 15): 1, (False, 3): 1, (False, 15): 2}
    view.set_appearance(Appearance(scale=2.0))
    dense, medium = view.edge_items
    w2 = {(e.dense, lvl): e.bin_pen(lvl).widthF() for e in (dense, medium) for lvl in (3, 15)}
    assert w2 == {k: 2 * v for k, v in w1.items()}
    # Neurons never grow into their neighbours: at most 0.48 of the pitch.
    lay = view.layout.layers[1]
    assert view.neuron_radius(1) <= 0.48 * np.diff(lay.pos[:, 1]).min() + 1e-9


def test_high_contrast_has_no_faint_or_thin_edges(window):
    view = window.view
    view.set_appearance(Appearance(high_contrast=True))
    for level in range(2 * style.LEVELS):
        pen = view.edge_items[0].bin_pen(level)
        assert pen.widthF() >= 2 and pen.color().alpha() >= 150
    # However far the view is zoomed out, no edge is thinner than 2 px on screen.
    for zoom in (0.2, 0.5, 3.0):
        for pen in view.edge_items[0].pens_at(zoom):
            assert (pen.widthF() if pen.isCosmetic() else pen.widthF() * zoom) >= 2 - 1e-9
    light, hc = LIGHT, view.colours
    assert style.contrast_ratio(hc.outline, hc.background) > style.contrast_ratio(
        light.outline, light.background)
    assert style.contrast_ratio(hc.diverging.neutral, hc.background) > style.contrast_ratio(
        light.diverging.neutral, light.background)
    dark_hc = Appearance("dark", high_contrast=True).colours()
    assert dark_hc.diverging.neutral > DARK.colours().diverging.neutral  # lighter on dark


# -- readable numbers --------------------------------------------------------------------------
def test_labels_under_the_minimum_size_are_dropped():
    boxes = [(0, 0, 30, 12), (100, 0, 30, 12), (200, 0, 30, 12)]
    keep = style.readable_labels(boxes, [12, 8.9, 9], [False, False, True])
    assert keep.tolist() == [True, False, True]
    assert not style.readable_labels(boxes, 5, False).any()
    assert style.label_boost(8) == pytest.approx(9 / 8)  # a little small: enlarged
    assert style.label_boost(5) == 1.0 and style.label_boost(13) == 1.0  # too small / fine


def test_overlapping_edge_labels_are_thinned_but_neuron_labels_stay():
    # Two neuron labels overlapping each other both stay; edge labels give way to them and to
    # earlier edge labels, and never block anything themselves when dropped.
    boxes = [(0, 0, 40, 14), (20, 5, 40, 14),  # neurons
             (30, 10, 40, 14),  # edge over a neuron label: dropped
             (200, 0, 40, 14), (220, 4, 40, 14), (250, 8, 40, 14)]  # a chain of edges
    thin = [False, False, True, True, True, True]
    keep = style.readable_labels(boxes, 12, thin)
    assert keep.tolist() == [True, True, False, True, False, True]
    # Off screen: neither drawn nor in the way.
    keep = style.readable_labels(boxes, 12, thin, viewport=(190, -10, 400, 40))
    assert keep.tolist() == [False, False, False, True, False, True]


@pytest.fixture
def big_view(window, qtbot):
    """The window's graph view alone in a large window: large enough for its numbers."""
    from PySide6.QtWidgets import QDockWidget

    for dock in window.findChildren(QDockWidget):
        dock.hide()
    window.resize(1600, 1000)
    qtbot.waitUntil(lambda: window.view.width() > 1200)
    window.view.fit()
    return window.view


def test_bigger_scale_draws_fewer_edge_labels_in_the_same_view(big_view):
    view = big_view
    view.doc.set_network(Network([4, 6, 3], seed=1), "crowded", example=(0.1, 0.5, 0.9, 0.3))
    assert view.is_small

    def drawn():
        grab(view)  # paints, so the labels decide for this zoom
        thin = np.array([t.thin for t in view.labels_item.texts])
        return int(view.labels_item.mask[thin].sum()), int(thin.sum())

    shown1, total = drawn()
    assert total > 0 and shown1 > 0
    view.set_appearance(Appearance(scale=2.0))
    shown2, total2 = drawn()
    assert total2 == total and shown2 < shown1
    # Zoomed far out, no number is drawn at all.
    view.set_appearance(Appearance())
    view.zoom(0.2)
    grab(view)
    assert not view.labels_item.mask.any()


# -- the sign without colour -------------------------------------------------------------------
def _two_edge_net(window):
    net = Network([2, 1], "sigmoid")
    net.set_parameters([np.array([[-1.5, 1.5]])], [np.array([0.0])])
    window.doc.set_network(net, "signs", example=(0.5, 0.5))
    window.view.set_option("show_bias", False)
    window.view.set_option("show_numbers", False)
    return window.view


def _bin_pens(item):
    """{negative?: [pens]} of the bins drawn."""
    out = {True: [], False: []}
    for pen, _lines in item.bins:
        out[pen.color().red() > pen.color().blue()].append(pen)  # orange = negative
    return out


def test_negative_edges_are_dashed_unless_the_layer_is_dense(window):
    view = _two_edge_net(window)
    pens = _bin_pens(view.edge_items[0])
    assert pens[True] and pens[False]
    assert all(p.style() == Qt.PenStyle.CustomDashLine and p.dashPattern() for p in pens[True])
    assert all(p.style() == Qt.PenStyle.SolidLine for p in pens[False])
    window.load_preset("mnist-30")
    dense, medium = window.view.edge_items
    assert dense.dense and not dense.dashed
    assert all(p.style() == Qt.PenStyle.SolidLine for p, _ in dense.bins)
    assert any(p.style() == Qt.PenStyle.CustomDashLine for p, _ in medium.bins)
    assert window.view.legend.dashed


def test_negative_delta_rings_are_dashed(window):
    doc = window.doc
    doc.start_stepping()
    while doc.walk.delta_known is None:
        doc.walk_step(1)
    rings = window.view.neurons_item.rings[2]
    assert (rings[2] == (window.doc.walk.grads.delta[2] < 0)).all()


def test_the_sign_survives_greyscale(window):
    view = _two_edge_net(window)
    img = grab(view).convertToFormat(QImage.Format.Format_Grayscale8)
    background = img.pixelColor(5, img.height() - 5).value()
    e = view.edge_items[0]

    def samples(k):
        x0, y0, x1, y1 = e.seg_all[k]
        out = []
        for t in np.linspace(0.15, 0.75, 80):
            p = view.view_point(x0 + t * (x1 - x0), y0 + t * (y1 - y0))
            out.append(img.pixelColor(p.x(), p.y()).value())
        return np.array(out)

    neg, pos = samples(0), samples(1)  # w = −1.5 and +1.5: the same |w|, the same width
    assert (pos < background - 40).all()  # a solid line: ink all along
    gaps = np.mean(neg > background - 10)
    assert 0.15 < gaps < 0.7  # dashes: ink and gaps along the negative edge
    # And the two colours differ in grey where there is ink.
    assert abs(np.median(neg[neg < background - 40]) - np.median(pos)) > 30


# -- palettes ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(PALETTES))
def test_palette_endpoints_and_luminance(name):
    c = Appearance(palette=name).colours()
    neg, pos = PALETTES[name]
    assert tuple(style.diverging_rgb(-1.0, c.diverging)) == tuple(neg)
    assert tuple(style.diverging_rgb(1.0, c.diverging)) == tuple(pos)
    assert tuple(style.diverging_rgb(0.0, c.diverging)) == c.diverging.neutral
    # The two signs are told apart in grey as well: a clear luminance difference.
    assert style.contrast_ratio(neg, pos) >= 1.5
    for dark in (False, True):
        bg = Appearance("dark" if dark else "light").colours().background
        assert min(style.contrast_ratio(neg, bg), style.contrast_ratio(pos, bg)) >= 2.0


def test_the_default_diverging_scale_is_unchanged():
    assert tuple(style.diverging_rgb(-1.0)) == style.NEGATIVE
    assert tuple(style.diverging_rgb(1.0)) == style.POSITIVE
    assert PALETTES["orange-blue"] == (style.NEGATIVE, style.POSITIVE)
    assert LIGHT.diverging == style.DEFAULT


def test_the_alternative_palette_reaches_the_graph(window):
    view = window.view
    view.set_appearance(Appearance(palette="vermillion-blue"))
    neg, pos = PALETTES["vermillion-blue"]
    strongest = {lvl: view.edge_items[0].bin_pen(lvl).color().getRgb()[:3]
                 for lvl in (style.LEVELS - 1, 2 * style.LEVELS - 1)}
    expect_neg = tuple(int(v) for v in style.diverging_rgb(-(style.LEVELS - 0.5) / style.LEVELS,
                                                           view.colours.diverging))
    assert strongest[style.LEVELS - 1] == expect_neg
    assert strongest[2 * style.LEVELS - 1][2] > strongest[2 * style.LEVELS - 1][0]  # blue
    assert tuple(style.diverging_rgb(-1.0, view.colours.diverging)) == neg


def test_selection_is_drawn_thick_and_themed(window):
    view = window.view
    window.doc.select(Selection("neuron", 1, 0))
    view.set_appearance(Appearance("dark", scale=2.0, high_contrast=True))
    item = view.selection_item
    assert item.shape_kind == "neuron" and item.data[2] == view.neuron_radius(1)
    assert item.pen().widthF() == 10 and item.colours.selection_halo is not None


def test_weight_tints_keep_the_theme_text_readable():
    for a in (Appearance(), DARK):
        c = a.colours()
        for t in (-1.0, 0.0, 1.0):
            assert style.contrast_ratio(c.weight_tint(t), c.text) >= 4.5
    assert LIGHT.weight_tint(0.5) == style.fade(style.diverging_rgb(0.5).tolist(), 0.4)
