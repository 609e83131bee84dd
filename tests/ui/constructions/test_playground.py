"""The playground panel: maps from the core, updates on change, clicks add points."""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt

from nnviz.core import playground as pg
from nnviz.core.network import Network
from nnviz.ui.constructions.playground import PlaygroundPanel


@pytest.fixture
def panel(qtbot, doc_2_8_8_1):
    p = PlaygroundPanel(doc_2_8_8_1)
    qtbot.addWidget(p)
    p.resize(900, 700)
    p.show()
    qtbot.waitExposed(p)
    return p


def test_maps_shown_are_the_cores_neuron_maps(panel, doc_2_8_8_1):
    expected = pg.neuron_maps(doc_2_8_8_1.net, panel.points, panel.shape)
    assert len(panel.maps) == len(expected) == 3
    for shown, core in zip(panel.maps, expected):
        np.testing.assert_array_equal(shown, core)
    assert [len(col) for col in panel.neurons.images] == [8, 8]  # hidden layers only
    assert panel.output.image is not None and panel.last_update_ms > 0
    assert panel.stack.currentIndex() == 0


def test_set_parameters_triggers_an_update(qtbot, panel, doc_2_8_8_1):
    before = panel.updates
    w = [np.zeros_like(w) for w in doc_2_8_8_1.net.weights]
    b = [np.full_like(b, 0.5) for b in doc_2_8_8_1.net.biases]
    doc_2_8_8_1.replace_parameters(w, b, "Edit")
    qtbot.waitUntil(lambda: panel.updates > before, timeout=2000)
    np.testing.assert_allclose(panel.maps[0], np.tanh(0.5))
    np.testing.assert_array_equal(panel.maps[-1], pg.neuron_maps(doc_2_8_8_1.net, panel.points,
                                                                  panel.shape)[-1])


def test_many_changes_are_coalesced(qtbot, panel, doc_2_8_8_1):
    before = panel.updates
    for k in range(20):
        doc_2_8_8_1.replace_parameters([w + 0.01 * k for w in doc_2_8_8_1.net.weights],
                                      doc_2_8_8_1.net.biases, "Nudge")
    qtbot.waitUntil(lambda: panel.updates > before, timeout=2000)
    qtbot.wait(80)
    assert panel.updates - before <= 3
    np.testing.assert_array_equal(panel.maps[0], pg.neuron_maps(doc_2_8_8_1.net, panel.points,
                                                                panel.shape)[0])


def test_choosing_a_dataset_gives_the_document_its_training_set(panel, doc_2_8_8_1):
    panel.dataset_combo.setCurrentText("circle")
    assert doc_2_8_8_1.preset_dataset is panel.data.train
    assert doc_2_8_8_1.preset_dataset.n_inputs == 2 and doc_2_8_8_1.net.sizes == [2, 8, 8, 1]
    assert panel.output.train is not None and panel.output.test is not None
    assert len(panel.output.test[0]) == len(panel.data.test)


@pytest.mark.parametrize("button, label", [(Qt.MouseButton.LeftButton, 1),
                                           (Qt.MouseButton.RightButton, 0)])
def test_a_click_on_the_output_map_adds_a_point(qtbot, panel, doc_2_8_8_1, button, label):
    panel.choose_dataset("xor")
    n = len(doc_2_8_8_1.preset_dataset)
    weights = [w.copy() for w in doc_2_8_8_1.net.weights]
    rect = panel.output.map_rect()
    pos = QPoint(int(rect.left() + 0.75 * rect.width()), int(rect.top() + 0.25 * rect.height()))
    qtbot.mouseClick(panel.output, button, pos=pos)
    ds = doc_2_8_8_1.preset_dataset
    assert len(ds) == n + 1 and ds.y[-1, 0] == label
    x, y = panel.output.to_plane(QPointF(pos))
    np.testing.assert_allclose(ds.x[-1], [x, y])
    assert ds.x[-1, 0] > 0 and ds.x[-1, 1] > 0  # upper right quarter of the plane
    for old, new in zip(weights, doc_2_8_8_1.net.weights):  # adding data keeps the network
        np.testing.assert_array_equal(old, new)
    assert len(panel.output.train[0]) == n + 1


def test_clicks_outside_the_map_add_nothing(qtbot, panel, doc_2_8_8_1):
    panel.choose_dataset("xor")
    n = len(doc_2_8_8_1.preset_dataset)
    qtbot.mouseClick(panel.output, Qt.MouseButton.LeftButton, pos=QPoint(1, 1))
    assert len(doc_2_8_8_1.preset_dataset) == n


def test_other_networks_get_a_message_and_a_way_in(panel, doc_2_8_8_1):
    doc_2_8_8_1.set_network(Network([3, 4, 1], seed=0))
    assert panel.stack.currentIndex() == 1 and panel.maps == []
    assert "2 inputs" in panel.message.text()
    panel.make_button.click()
    assert doc_2_8_8_1.net.sizes == [2, 4, 4, 1] and doc_2_8_8_1.net.activation_names[0] == "tanh"
    assert doc_2_8_8_1.preset_dataset is not None and doc_2_8_8_1.preset_dataset.n_inputs == 2
    assert panel.stack.currentIndex() == 0 and len(panel.maps) == 3


def test_locked_document_refuses_with_a_message(panel, doc_2_8_8_1):
    lock = doc_2_8_8_1.lock("training is running")
    n = len(panel.doc.preset_dataset) if panel.doc.preset_dataset is not None else 0
    assert not panel.add_point(0.1, 0.1, 1)
    assert "training is running" in panel.status.text()
    assert (len(doc_2_8_8_1.preset_dataset) if doc_2_8_8_1.preset_dataset is not None else 0) == n
    lock.release("Training")


def test_two_output_networks_train_on_class_labels(panel, doc_2_8_8_1):
    doc_2_8_8_1.set_network(Network([2, 5, 2], ["tanh", "softmax"], "log-likelihood", seed=0))
    assert panel.choose_dataset("circle")
    assert doc_2_8_8_1.preset_dataset.y.ndim == 1 and doc_2_8_8_1.preset_dataset.n_classes == 2
    assert panel.maps[-1].shape == (2, panel.resolution, panel.resolution)


def test_bench_returns_sane_figures(qtbot):
    from nnviz.bench.playground_bench import run

    lines = []
    result = run(log=lines.append, n=5)
    assert result["heatmap_updates_per_s"] > 0
    assert result["p95_ms"] >= result["median_ms"] > 0
    assert result["target"].startswith("target: ≥ 20 updates/s: ")
    assert any("updates/s" in line for line in lines)


# -- data, structure and training controls -------------------------------------------------

def test_choosing_a_dataset_keeps_the_undo_history_and_sets_test_data_and_hint(panel, doc_2_8_8_1):
    doc_2_8_8_1.set_bias(1, 0, 0.25)  # an edit by hand, one undo step
    assert panel.choose_dataset("spiral")
    assert doc_2_8_8_1.test_dataset is panel.data.test and len(doc_2_8_8_1.test_dataset) > 0
    assert doc_2_8_8_1.training_hint == pg.suggested_training("spiral")
    # the edit and the fresh weights are two steps; undoing both gives the edit's weights back
    assert doc_2_8_8_1.undo_stack.count() == 2
    assert doc_2_8_8_1.undo_stack.text(1) == "Fresh weights for spiral"
    doc_2_8_8_1.undo()
    assert doc_2_8_8_1.net.biases[0][0] == 0.25
    # the first training point is the input, ringed on the map, with its target
    np.testing.assert_array_equal(doc_2_8_8_1.x, doc_2_8_8_1.preset_dataset.inputs(0))
    assert doc_2_8_8_1.target is not None and panel.output.current == tuple(doc_2_8_8_1.x)


def test_adding_a_point_keeps_the_undo_history(panel, doc_2_8_8_1):
    panel.choose_dataset("xor")
    steps = doc_2_8_8_1.undo_stack.count()
    assert panel.add_point(0.2, 0.3, 1)
    assert doc_2_8_8_1.undo_stack.count() == steps and doc_2_8_8_1.test_dataset is not None


def test_layer_size_spin_box_changes_the_structure_as_one_undo_step(panel, doc_2_8_8_1):
    old = doc_2_8_8_1.net
    assert [s.value() for s in panel.layer_spins] == [8, 8]
    panel.layer_spins[0].setValue(5)
    assert doc_2_8_8_1.net.sizes == [2, 5, 8, 1]
    np.testing.assert_array_equal(doc_2_8_8_1.net.weights[0], old.weights[0][:5])  # kept
    assert doc_2_8_8_1.undo_stack.text(doc_2_8_8_1.undo_stack.count() - 1) == "5 neurons in layer 1"
    assert [len(col) for col in panel.neurons.images] == [5, 8]
    doc_2_8_8_1.undo()
    assert doc_2_8_8_1.net is old and [s.value() for s in panel.layer_spins] == [8, 8]
    doc_2_8_8_1.redo()
    assert doc_2_8_8_1.net.sizes == [2, 5, 8, 1]


def test_a_new_neuron_does_not_change_the_output(panel, doc_2_8_8_1):
    before = panel.maps[-1].copy()
    panel.layer_spins[1].setValue(9)
    assert doc_2_8_8_1.net.sizes == [2, 8, 9, 1]
    np.testing.assert_allclose(panel.maps[-1], before, atol=1e-12)


def test_add_and_remove_layers(panel, doc_2_8_8_1):
    panel.add_layer_button.click()
    assert doc_2_8_8_1.net.sizes == [2, 8, 8, 8, 1] and len(panel.layer_spins) == 3
    assert doc_2_8_8_1.net.activation_names == ["tanh", "tanh", "tanh", "sigmoid"]
    panel.remove_layer_button.click()
    panel.remove_layer_button.click()
    panel.remove_layer_button.click()
    assert doc_2_8_8_1.net.sizes == [2, 1] and panel.layer_spins == []
    assert not panel.remove_layer_button.isEnabled()
    assert not panel.activation_combo.isEnabled()
    assert [len(col) for col in panel.neurons.images] == []
    for _ in range(4):
        doc_2_8_8_1.undo()
    assert doc_2_8_8_1.net.sizes == [2, 8, 8, 1]


def test_activation_change_keeps_the_weights(panel, doc_2_8_8_1):
    weights = [w.copy() for w in doc_2_8_8_1.net.weights]
    panel.activation_combo.setCurrentText("relu")
    panel.activation_combo.textActivated.emit("relu")
    assert doc_2_8_8_1.net.activation_names == ["relu", "relu", "sigmoid"]
    for old, new in zip(weights, doc_2_8_8_1.net.weights):
        np.testing.assert_array_equal(old, new)
    np.testing.assert_array_equal(panel.maps[0], pg.neuron_maps(doc_2_8_8_1.net, panel.points,
                                                                panel.shape)[0])


def test_structure_change_while_locked_is_refused_and_the_spin_box_goes_back(panel, doc_2_8_8_1):
    lock = doc_2_8_8_1.lock("training is running")
    panel.layer_spins[0].setValue(3)
    assert doc_2_8_8_1.net.sizes == [2, 8, 8, 1]
    assert panel.layer_spins[0].value() == 8
    assert "training is running" in panel.status.text()
    lock.release("Training")


def test_live_changes_go_through_the_windows_hook(panel, doc_2_8_8_1):
    calls = []

    locks = [doc_2_8_8_1.lock("training is running")]

    def live(change):  # what the window does: stop, unlock, change, start again
        calls.append(True)
        locks[0].release("Training")
        change()
        locks[0] = doc_2_8_8_1.lock("training is running")

    panel.live = live
    panel.layer_spins[0].setValue(3)
    assert calls and doc_2_8_8_1.net.sizes == [2, 3, 8, 1]
    locks[0].release("Training")


def test_reset_weights_is_one_undo_step(panel, doc_2_8_8_1):
    old = [w.copy() for w in doc_2_8_8_1.net.weights]
    panel.reset_button.click()
    assert not np.array_equal(old[0], doc_2_8_8_1.net.weights[0])
    doc_2_8_8_1.undo()
    np.testing.assert_array_equal(old[0], doc_2_8_8_1.net.weights[0])


def test_ctrl_click_picks_the_nearest_point_as_the_input(qtbot, panel, doc_2_8_8_1):
    panel.choose_dataset("two gaussians")
    rect = panel.output.map_rect()
    pos = QPoint(int(rect.center().x()), int(rect.center().y()))
    qtbot.mouseClick(panel.output, Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.ControlModifier, pos)
    x0, y0 = panel.output.to_plane(QPointF(pos))
    everything = np.vstack([doc_2_8_8_1.preset_dataset.inputs(), doc_2_8_8_1.test_dataset.inputs()])
    nearest = everything[np.argmin(np.hypot(everything[:, 0] - x0, everything[:, 1] - y0))]
    np.testing.assert_array_equal(doc_2_8_8_1.x, nearest)
    assert doc_2_8_8_1.target is not None and "class" in doc_2_8_8_1.input_description
    assert panel.output.current == tuple(nearest)

