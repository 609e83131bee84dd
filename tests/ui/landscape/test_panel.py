"""The Landscape panel: the core's curve of E over the selected parameter, with the walk's
slope and step; η from the walk; the walk followed; a drag of the point is one undo step; two
parameters give the grid, its paths and restarts; while training a trail, redrawn at a bounded
rate."""

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from nnviz.core.landscape import Parameter, curve
from nnviz.ui.landscape.panel import HINT
from nnviz.ui.landscape.source import SteadySpan
from nnviz.ui.model.selection import Selection


def test_a_weight_shows_its_curve_with_the_walks_slope(panel, doc):
    assert panel.result is None and panel.hint.text() == HINT
    doc.select(Selection("neuron", 1, 0))
    assert panel.result is None  # a neuron has no landscape of its own
    doc.select(Selection("edge", 2, 0, 1))
    c = panel.result
    assert c.param == Parameter("w", 2, 0, 1) and c.value == doc.net.weights[1][0, 1]
    doc.start_stepping()
    doc.walk_go(len(doc.walk.stages) - 2)  # the gradients stage
    walk = doc.walk
    c = panel.result
    assert c.slope == walk.grads.weights[1][0, 1]  # the very number the Inspector shows
    assert c.E_value == walk.E_before and c.eta == walk.eta
    assert c.step_to == c.value - walk.eta * c.slope
    reference = curve(doc.net, walk.x, walk.y, c.param, eta=walk.eta, values=c.values)
    np.testing.assert_array_equal(c.E, reference.E)
    assert c.E_after == reference.E_after
    assert panel.curve_plot.tangent.isVisible() and panel.curve_plot.arrow.isVisible()
    assert "slope ∂E/∂w²₀₁ = <b>" in panel.readout.text()


def test_before_the_gradients_the_tangent_waits(panel, doc):
    doc.select(Selection("bias", 3, 0))
    doc.start_stepping()
    assert panel.result is not None
    assert not panel.curve_plot.tangent.isVisible()
    assert not panel.curve_plot.arrow.isVisible()
    assert "gradients stage" in panel.note.text()
    assert "slope" not in panel.readout.text()


def test_the_update_stage_shows_the_step_taken(panel, doc):
    doc.select(Selection("bias", 3, 0))
    doc.start_stepping()
    doc.walk_go(100)
    walk = doc.walk
    assert walk.updated
    c = panel.result
    before, after = walk.params_before[1][2][0], walk.params_after[1][2][0]
    assert c.value == before and c.step_to == after  # the real step, on the curve before it
    assert doc.net.biases[2][0] == after
    assert f"{walk.E_after:.4g}"[:5] in panel.note.text().replace("×", "")


def test_eta_is_the_walks_and_a_large_one_overshoots(panel, doc):
    doc.set_target([0.7])  # E(b³₀) has its minimum inside the range
    doc.select(Selection("bias", 3, 0))
    panel.eta_spin.setValue(2.0)
    assert doc.step_eta == 2.0 and panel.result.eta == 2.0
    assert panel.result.E_after < panel.result.E_value
    assert "(lower)" in panel.readout.text()
    panel.eta_spin.setValue(50.0)
    c = panel.result
    assert c.eta == 50.0 and c.E_after > c.E_value  # jumped over the minimum
    assert c.values[0] <= c.step_to <= c.values[-1]  # the range grew to show where it landed
    assert "overshot" in panel.readout.text()
    doc.set_step_eta(0.5)  # the walk's η, from elsewhere, is the panel's
    assert panel.eta_spin.value() == 0.5 and panel.result.eta == 0.5


def test_dragging_the_point_is_one_undoable_edit(panel, doc):
    doc.select(Selection("edge", 3, 0, 1))
    old = doc.net.weights[2][0, 1]
    lo, hi = panel.result.values[0], panel.result.values[-1]
    plot = panel.curve_plot
    plot._on_drag("start", QPointF(old, 0))
    for v in np.linspace(old, old + 0.8, 6):
        plot._on_drag("move", QPointF(v, 0))
    plot._on_drag("end", QPointF(old + 1.0, 0))
    assert doc.net.weights[2][0, 1] == old + 1.0
    assert doc.undo_stack.count() == 1
    assert doc.undo_stack.undoText() == f"Set w³₀₁ to {old + 1.0:g}"
    c = panel.result
    assert c.value == old + 1.0 and (c.values[0], c.values[-1]) == (lo, hi)  # curve kept
    doc.undo()
    assert doc.net.weights[2][0, 1] == old and panel.result.value == old


def test_a_drag_while_training_is_refused(panel, doc):
    doc.select(Selection("bias", 3, 0))
    lock = doc.lock("training is running")
    assert not panel.set_values([0.3], doc.begin_gesture())
    assert "training is running" in panel.message.text()
    lock.release("run")


def test_two_parameters_give_the_grid_the_paths_and_the_restarts(panel, doc):
    doc.select(Selection("edge", 3, 0, 0))
    panel.set_second(Selection("bias", 3, 0))
    g = panel.result
    assert [p.spec for p in g.params] == ["w:3:0:0", "b:3:0"]
    assert g.E.shape == (41, 41)
    assert g.E_value == doc.net.cost(doc.trace, doc.target)
    assert g.path is not None and len(g.restarts) == 4
    assert len(panel.grid_plot.restarts) == 4 and panel.grid_plot.arrow.isVisible()
    assert panel.second_label.text() == "2nd: b³₀"
    # dragging sets both at once, one undo step
    panel.grid_plot._on_drag("start", QPointF(*g.value))
    panel.grid_plot._on_drag("end", QPointF(1.0, -0.5))
    assert (doc.net.weights[2][0, 0], doc.net.biases[2][0]) == (1.0, -0.5)
    assert doc.undo_stack.count() == 1
    assert doc.undo_stack.undoText() == "Set w³₀₀ to 1 and b³₀ to −0.5"
    panel.set_second(Selection("bias", 3, 0))  # again: back to one parameter
    assert panel.second is None and panel.result.param == Parameter("w", 3, 0, 0)


def test_the_mean_over_examples(panel, doc, qtbot):
    from nnviz.core.presets import get_preset

    doc.load_preset("xor")
    doc.select(Selection("bias", 2, 0))
    panel.data_combo.setCurrentText("100 examples")
    ds = get_preset("xor").dataset()
    c = panel.result
    assert panel.source.samples == 4
    assert c.E_value == pytest.approx(doc.net.cost(doc.net.forward(ds.inputs()),
                                                   ds.targets()), rel=1e-12)
    assert "mean over 4 examples" in panel.title.text()


def test_training_draws_a_trail_at_a_bounded_rate(panel, doc, qtbot):
    doc.select(Selection("bias", 3, 0))
    computed = []
    original = panel._compute
    panel._compute = lambda *a: computed.append(1) or original(*a)
    lock = doc.lock("training is running")
    w, b = [x.copy() for x in doc.net.weights], [x.copy() for x in doc.net.biases]
    for i in range(20):  # twenty live frames in a burst
        b[2][0] = 0.05 + 0.02 * i
        lock.show(w, b)
    assert len(panel.trail) == 20
    assert len(computed) <= 1  # not one redraw per frame
    qtbot.waitUntil(lambda: not panel._timer.isActive(), timeout=2000)
    assert panel.result.value == pytest.approx(0.05 + 0.02 * 19)
    assert panel.curve_plot.trail.isVisible()
    np.testing.assert_allclose(panel.curve_plot.trail.getData()[0],
                               [0.05 + 0.02 * i for i in range(20)])
    assert "slice moves" in panel.note.text()
    lock.release("run")


def test_no_target_says_so(panel, doc_without_target):
    doc_without_target.select(Selection("edge", 1, 0, 0))
    assert panel.result is None and "target" in panel.hint.text()


def test_steady_span_moves_an_end_only_when_something_leaves_it():
    s, p = SteadySpan(), Parameter("b", 1, 0)
    assert s.update(p, 0.5) == (-1.5, 2.5)
    assert s.update(p, 1.0) == (-1.5, 2.5)
    lo, hi = s.update(p, 1.0, 4.0)
    assert lo == -1.5 and hi > 4.0
    s.recentre()
    assert s.update(p, 1.0) == (-1.0, 3.0)


def test_a_grid_over_many_examples_is_drawn_row_by_row(panel, qtbot):
    """E over 1,000 examples and two parameters comes a few rows per turn of the event loop;
    the finished grid is the core's."""
    from nnviz.core.landscape import grid
    from nnviz.core.network import Network
    from nnviz.data.dataset import Dataset

    doc = panel.doc
    rng = np.random.default_rng(0)
    data = Dataset(rng.uniform(-1, 1, (1000, 3)), rng.uniform(0, 1, (1000, 2)), name="d")
    doc.set_network(Network([3, 4, 2], seed=1), "3-4-2", dataset=data)
    doc.select(Selection("edge", 1, 0, 1))
    panel.set_second(Selection("edge", 1, 2, 0))
    panel.data_combo.setCurrentText("1,000 examples")
    assert panel.computing and panel.result is None
    assert "Computing" in panel.readout.text()
    qtbot.waitUntil(lambda: panel._job is not None and 0 < panel._job["row"] < 41,
                    timeout=5000)
    partial = panel._job["E"]
    assert np.isnan(partial[-1]).all() and not np.isnan(partial[0]).any()
    qtbot.waitUntil(lambda: not panel.computing and panel.result is not None, timeout=20000)
    g = panel.result
    reference = grid(doc.net, data.inputs(), data.targets(), *g.params, eta=doc.step_eta,
                     axes=g.values)
    np.testing.assert_allclose(g.E, reference.E, rtol=1e-12)
    assert g.E_value == pytest.approx(doc.net.cost(doc.net.forward(data.inputs()),
                                                   data.targets()), rel=1e-12)
    assert len(g.restarts) == 4


def test_training_over_many_examples_takes_a_trail_point_per_redraw(panel, qtbot):
    doc = panel.doc
    doc.load_preset("xor-random")
    doc.select(Selection("bias", 2, 0))
    panel.data_combo.setCurrentText("100 examples")
    start = doc.net.biases[1][0]
    lock = doc.lock("training is running")
    assert [row[0] for row in panel.trail] == [start]  # where the run starts
    w, b = [x.copy() for x in doc.net.weights], [x.copy() for x in doc.net.biases]
    for i in range(10):
        b[1][0] = 0.1 * i
        lock.show(w, b)
    assert len(panel.trail) == 1  # no forward pass over the examples per frame
    qtbot.waitUntil(lambda: len(panel.trail) == 2, timeout=2000)
    value, E = panel.trail[1]
    assert value == pytest.approx(0.9) and E == panel.result.E_value
    lock.release("run")
