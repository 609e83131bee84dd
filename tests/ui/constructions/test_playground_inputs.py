"""The playground's input features, regression sets, data sliders, L1 and the wheel on its maps:
each change through the document, undoable."""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from nnviz.core import plane_features as fx
from nnviz.core import playground as pg
from nnviz.core.network import Network
from nnviz.core.session import TrainingSettings
from nnviz.core.training import TrainConfig, train
from nnviz.ui.constructions.playground import PlaygroundPanel


@pytest.fixture
def panel(qtbot, doc_2_8_8_1):
    p = PlaygroundPanel(doc_2_8_8_1, TrainingSettings())
    qtbot.addWidget(p)
    p.resize(1000, 760)
    p.show()
    qtbot.waitExposed(p)
    return p


def _state(doc):
    return (doc.net, [w.copy() for w in doc.net.weights], [b.copy() for b in doc.net.biases],
            doc.preset_dataset, doc.test_dataset, doc.input_labels,
            None if doc.x is None else doc.x.copy())


def test_checking_features_changes_the_input_layer_in_one_undo_step(panel, doc_2_8_8_1):
    doc = doc_2_8_8_1
    panel.choose_dataset("circle")
    before = _state(doc)
    point = panel.current_point()
    assert point == tuple(doc.preset_dataset.x[0])
    steps = doc.undo_stack.count()
    panel.feature_boxes["x1^2"].click()
    assert doc.net.sizes == [3, 8, 8, 1] and doc.undo_stack.count() == steps + 1
    assert doc.input_labels == ("x₁", "x₂", "x₁²") and panel.features == ("x1", "x2", "x1^2")
    np.testing.assert_array_equal(doc.net.weights[0][:, :2], before[1][0])  # kept
    for new, old in zip(doc.net.weights[1:] + doc.net.biases, before[1][1:] + before[2]):
        np.testing.assert_array_equal(new, old)
    train = doc.preset_dataset
    assert isinstance(train, fx.PlaneData) and train.features == ("x1", "x2", "x1^2")
    np.testing.assert_array_equal(train.x[:, 2], train.plane[:, 0] ** 2)
    assert doc.test_dataset.n_inputs == 3 and doc.examples is train
    np.testing.assert_allclose(doc.x, [point[0], point[1], point[0] ** 2])
    assert panel.current_point() == point  # the ring stays on the same point
    # the maps: the core's, over the plane, from the features of the grid's points
    expected = pg.neuron_maps(doc.net, fx.feature_matrix(panel.points, panel.features),
                              panel.shape)
    for shown, core in zip(panel.maps, expected):
        np.testing.assert_array_equal(shown, core)
    # a second feature, another step; x₁ off; then undo all three, exactly
    panel.feature_boxes["x2^2"].click()
    panel.feature_boxes["x1"].click()
    assert panel.features == ("x2", "x1^2", "x2^2") and doc.net.sizes[0] == 3
    assert [panel.feature_boxes[k].isChecked() for k in fx.FEATURES] == \
        [False, True, True, True, False, False, False]
    assert panel.current_point() == point  # looked up among the data's points
    for _ in range(3):
        doc.undo()
    after = _state(doc)
    assert after[0] is before[0] and after[3] is before[3] and after[4] is before[4]
    for new, old in zip(after[1] + after[2], before[1] + before[2]):
        np.testing.assert_array_equal(new, old)
    assert after[5] == before[5]
    np.testing.assert_array_equal(after[6], before[6])
    assert panel.features == fx.PLAIN
    assert [panel.feature_boxes[k].isChecked() for k in fx.FEATURES] == \
        [True, True] + [False] * 5
    doc.redo()
    assert doc.net.sizes[0] == 3 and doc.input_labels == ("x₁", "x₂", "x₁²")


def test_the_last_feature_cannot_be_switched_off(panel, doc_2_8_8_1):
    panel.set_features(("x1",))
    assert doc_2_8_8_1.net.sizes[0] == 1
    panel.feature_boxes["x1"].click()
    assert doc_2_8_8_1.net.sizes[0] == 1 and panel.feature_boxes["x1"].isChecked()
    assert "at least one" in panel.status.text()


def test_an_input_given_by_its_values_is_described_by_the_new_ones(panel, doc_2_8_8_1):
    doc = doc_2_8_8_1
    doc.set_input([0.5, -1.0], "x = (0.5, -1)")
    assert panel.set_features(("x1", "x2", "x2^2"))
    assert doc.input_description == "x = (0.5, -1, 1)"
    panel.choose_dataset("circle")
    name = doc.input_description  # a data point's name stays
    assert panel.set_features(("x1", "x2"))
    assert doc.input_description == name and "circle" in name


def test_the_circle_with_squares_is_learnt_by_a_network_without_hidden_layers(
        qtbot, panel, doc_2_8_8_1):
    doc = doc_2_8_8_1
    doc.set_network(Network([2, 1], ["sigmoid"], "cross-entropy", seed=0, init="scaled"))
    panel.choose_dataset("circle")
    assert panel.set_features(("x1^2", "x2^2"))
    assert doc.net.sizes == [2, 1] and doc.input_labels == ("x₁²", "x₂²")
    net = doc.net.copy()
    train(net, doc.preset_dataset, TrainConfig(eta=0.1, batch_size=10, epochs=200,
                                               momentum=0.9, seed=0))
    assert pg.accuracy(net, doc.preset_dataset) >= 0.95
    doc.replace_parameters(net.weights, net.biases, "Trained")
    qtbot.waitUntil(lambda: np.array_equal(
        panel.maps[-1], pg.neuron_maps(doc.net, fx.feature_matrix(panel.points, ("x1^2", "x2^2")),
                                       panel.shape)[-1]), timeout=2000)
    # the output map shows a closed boundary: inside the circle class 1, outside class 0
    out = panel.maps[-1][0]
    r = panel.resolution
    assert out[r // 2, r // 2] > 0.5 and out[0, 0] < 0.5 and out[-1, -1] < 0.5
    # and with x₁, x₂ alone it is not separable
    doc.undo()
    assert panel.set_features(("x1", "x2"))
    net = doc.net.copy()
    train(net, doc.preset_dataset, TrainConfig(eta=0.1, batch_size=10, epochs=200,
                                               momentum=0.9, seed=0))
    assert pg.accuracy(net, doc.preset_dataset) <= 0.7


def test_a_click_adds_a_point_fed_the_features(qtbot, panel, doc_2_8_8_1):
    panel.choose_dataset("xor")
    panel.set_features(("x1", "x2", "x1x2"))
    n = len(doc_2_8_8_1.preset_dataset)
    assert panel.add_point(0.5, -0.4, 1)
    ds = doc_2_8_8_1.preset_dataset
    assert len(ds) == n + 1 and ds.features == ("x1", "x2", "x1x2")
    np.testing.assert_allclose(ds.x[-1], [0.5, -0.4, -0.2])
    np.testing.assert_allclose(ds.plane[-1], [0.5, -0.4])
    assert panel.pick_point(0.5, -0.4)
    np.testing.assert_allclose(doc_2_8_8_1.x, [0.5, -0.4, -0.2])


@pytest.mark.parametrize("key", pg.REGRESSION)
def test_a_regression_set_gets_a_linear_output_and_a_value_map(qtbot, panel, doc_2_8_8_1, key):
    doc = doc_2_8_8_1
    assert panel.choose_dataset(key)
    assert doc.net.activation_names[-1] == "linear" and doc.net.cost_name == "quadratic"
    assert panel.regression and panel.output.value_colours is not None
    assert "value" in panel.hint.text()
    train_points, values = panel.output.train
    np.testing.assert_array_equal(values, doc.preset_dataset.y[:, 0])
    # points take the colours of their targets: one at the top of the scale, the largest
    lut, low, high = panel.output.value_colours
    assert low == -high and high == pytest.approx(np.abs(doc.preset_dataset.y).max())
    colours = panel.output._point_colours(np.array([high, low]))
    assert [c.getRgb()[:3] for c, _ in colours] == [tuple(lut[0]), tuple(lut[255])]
    n = len(doc.preset_dataset)
    qtbot.mouseClick(panel.output, Qt.MouseButton.LeftButton,
                     pos=panel.output.map_rect().center().toPoint())
    assert len(doc.preset_dataset) == n and "classification" in panel.status.text()
    # back to classification: sigmoid and cross-entropy again
    assert panel.choose_dataset("circle")
    assert doc.net.activation_names[-1] == "sigmoid" and doc.net.cost_name == "cross-entropy"
    assert not panel.regression and panel.output.value_colours is None


def test_the_sliders_make_the_data_again_and_keep_the_weights(panel, doc_2_8_8_1):
    doc = doc_2_8_8_1
    panel.noise_slider.setValue(10)  # no data of the playground's yet: told so
    assert doc.preset_dataset is None and "choose a data set" in panel.status.text()
    panel.choose_dataset("circle")  # made with its own noise, which the slider shows
    assert panel.noise_slider.value() == 5 and "0.05" in panel.noise_label.text()
    weights = [w.copy() for w in doc.net.weights]
    steps = doc.undo_stack.count()
    panel.test_slider.setValue(50)
    assert len(doc.test_dataset) == 100 and len(doc.preset_dataset) == 100
    assert "50 %" in panel.test_label.text()
    x = doc.preset_dataset.x.copy()
    panel.noise_slider.setValue(20)
    assert panel.data.noise == 0.2 and "0.20" in panel.noise_label.text()
    assert not np.allclose(doc.preset_dataset.x, x)
    for old, new in zip(weights, doc.net.weights):
        np.testing.assert_array_equal(old, new)
    assert doc.undo_stack.count() == steps
    panel.set_features(("x1^2", "x2^2"))
    panel.test_slider.setValue(20)  # the data made again is fed the features
    assert doc.preset_dataset.features == ("x1^2", "x2^2") and len(doc.test_dataset) == 40


def test_l1_is_bound_to_the_training_settings(panel):
    panel.l1_spin.setValue(0.3)
    assert panel.settings.l1 == 0.3 and panel.settings.config().l1 == 0.3
    panel.settings.l1 = 0.1
    assert panel.l1_spin.value() == 0.1


def _wheel(qtbot, widget, pos: QPointF, notches: int, modifiers=Qt.KeyboardModifier.NoModifier):
    from PySide6.QtCore import QPoint as P
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    event = QWheelEvent(pos, widget.mapToGlobal(pos), P(0, 0), P(0, 120 * notches),
                        Qt.MouseButton.NoButton, modifiers, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_the_wheel_over_a_neurons_map_moves_its_bias_one_undo_step_per_burst(
        qtbot, panel, doc_2_8_8_1):
    doc = doc_2_8_8_1
    rect = panel.neurons.cell_rects()[1][3]  # a²₃
    assert panel.neurons.neuron_at(rect.center()) == (2, 3)
    b0 = float(doc.net.biases[1][3])
    w_before = [w.copy() for w in doc.net.weights]
    steps = doc.undo_stack.count()
    for _ in range(3):
        _wheel(qtbot, panel.neurons, rect.center(), 1)
    step = 0.1 * max(abs(b0), 1.0)
    assert doc.net.biases[1][3] == pytest.approx(b0 + 3 * step)
    assert doc.undo_stack.count() == steps + 1  # one burst, one step
    for old, new in zip(w_before, doc.net.weights):
        np.testing.assert_array_equal(old, new)
    # Ctrl scales the incoming weights: another step
    _wheel(qtbot, panel.neurons, rect.center(), 2, Qt.KeyboardModifier.ControlModifier)
    np.testing.assert_allclose(doc.net.weights[1][3], w_before[1][3] * 1.1 ** 2)
    assert doc.undo_stack.count() == steps + 2
    doc.undo()
    doc.undo()
    assert doc.net.biases[1][3] == b0
    np.testing.assert_array_equal(doc.net.weights[1], w_before[1])
    # the output map's wheel moves the output neuron's bias
    out_b = float(doc.net.biases[-1][0])
    _wheel(qtbot, panel.output, panel.output.map_rect().center(), -1)
    assert doc.net.biases[-1][0] == pytest.approx(out_b - 0.1 * max(abs(out_b), 1.0))
    # a click on a map selects the neuron, and the map is ringed
    qtbot.mouseClick(panel.neurons, Qt.MouseButton.LeftButton,
                     pos=QPoint(int(rect.center().x()), int(rect.center().y())))
    assert doc.selection is not None and (doc.selection.layer, doc.selection.j) == (2, 3)
    assert panel.neurons.selected == (2, 3)
    assert "bias" in panel.neurons.toolTip() and "Undo" in panel.neurons.toolTip()


def test_the_graph_names_the_input_features(window):
    pgp, doc = window.playground, window.doc
    pgp.make_xor_network()
    assert pgp.set_features(("x1", "x1^2", "sin x2"))
    view = window.view
    texts = {t.text: t for t in view.labels_item.texts}
    layer0 = view.layout.layers[0]
    for name, (x, y) in zip(("x₁", "x₁²", "sin x₂"), layer0.pos):
        t = texts[name]  # left of its neuron, ending before it (z and δ go under it)
        assert t.anchor == "right" and t.y == y and t.x < x - layer0.radius
    doc.undo()
    assert not {"x₁²", "sin x₂"} & {t.text for t in view.labels_item.texts}


def test_features_and_l1_change_live_while_training(window, qtbot):
    from nnviz.core.session import TrainingState

    pgp, doc, ctl = window.playground, window.doc, window.trainer
    pgp.make_xor_network()
    assert pgp.choose_dataset("circle")
    window.training.epochs.setValue(1000)
    pgp.train_button.click()
    qtbot.waitUntil(lambda: ctl.state is TrainingState.RUNNING and ctl.run is not None
                    and len(ctl.run.epochs) >= 2, timeout=60000)
    run = ctl.run
    assert pgp.set_features(("x1", "x2", "x1^2", "x2^2"))
    assert doc.net.sizes == [4, 4, 4, 1] and doc.preset_dataset.n_inputs == 4
    assert ctl.run is run and run.settings["sizes"] == [4, 4, 4, 1]
    done = ctl.offset
    qtbot.waitUntil(lambda: run.epochs[-1].epoch > done + 1, timeout=60000)
    assert doc.locked_reason  # the run goes on with the new inputs
    job = ctl.job
    pgp.l1_spin.setValue(0.01)
    assert ctl.job is job and ctl.job.config.l1 == 0.01  # in place, as η
    ctl.stop()
    qtbot.waitUntil(lambda: ctl.job is None, timeout=60000)
    assert not doc.locked_reason and doc.net.sizes[0] == 4
