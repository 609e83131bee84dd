"""The drawing panel wired to the document: live outputs computed by the core, show in graph,
step through with a remembered label, teach (undoable), loading data-set digits."""

import numpy as np
import pytest

from nnviz.core import TrainConfig, Trainer
from nnviz.data.drawing import preprocess_drawing
from nnviz.ui.drawing.digit_browser import MAX_LISTED, DigitBrowser
from tests.helpers import params

SEVEN = [(60, 60), (220, 60), (140, 230)]  # a "7" on the 280×280 canvas


@pytest.fixture(scope="module")
def trained(mnist):
    from nnviz.core import Network

    net = Network([784, 30, 10], "sigmoid", "quadratic", seed=0)
    trainer = Trainer(net, mnist.train, TrainConfig(eta=3.0, batch_size=10, epochs=1, seed=0))
    for _ in trainer.run():
        pass
    return net.weights, net.biases


@pytest.fixture
def mwin(window, mnist, trained):
    window.load_preset("mnist-30")
    window.use_mnist(mnist)
    window.doc.replace_parameters(*trained, "Trained")
    window.doc.undo_stack.clear()
    window.drawing_dock.show()
    return window


def test_a_network_without_784_inputs_says_why_and_feeds_nothing(window):
    d = window.drawer
    window.drawing.canvas.draw_stroke(SEVEN)
    assert "784 inputs" in window.drawing.note.text()
    assert d.current is None and window.drawing.bars.outputs() is None
    assert not any(b.isEnabled() for b in window.drawing.app_buttons)


def test_the_bars_show_the_cores_outputs_for_the_preprocessed_drawing(mwin):
    d, panel, doc = mwin.drawer, mwin.drawing, mwin.doc
    assert d.current is None and panel.bars.outputs() is None and panel.preview.image() is None
    assert not panel.show_button.isEnabled()
    panel.canvas.draw_stroke(SEVEN)
    expected = preprocess_drawing(panel.canvas.ink())
    np.testing.assert_array_equal(panel.preview.image(), expected.image)
    np.testing.assert_array_equal(panel.bars.outputs(), doc.net.feedforward(expected.x))
    assert panel.bars.kind() == "activation"  # sigmoid outputs, not probabilities
    assert panel.bars.top_index() == int(np.argmax(doc.net.feedforward(expected.x)))
    assert all(b.isEnabled() for b in panel.app_buttons)
    panel.canvas.clear()
    assert d.current is None and panel.bars.outputs() is None


def test_show_in_graph_and_the_drawing_follows_the_pen(mwin):
    d, panel, doc = mwin.drawer, mwin.drawing, mwin.doc
    panel.canvas.draw_stroke(SEVEN)
    panel.show_button.click()
    np.testing.assert_array_equal(doc.x, d.current.x)
    assert doc.input_description == "your drawing" and doc.target is None
    panel.canvas.draw_stroke([(60, 150), (200, 150)])  # a crossbar: the graph follows
    np.testing.assert_array_equal(doc.x, preprocess_drawing(panel.canvas.ink()).x)


def test_step_through_uses_the_label_and_remembers_it_for_this_drawing(mwin):
    d, panel, doc = mwin.drawer, mwin.drawing, mwin.doc
    panel.canvas.draw_stroke(SEVEN)
    assert d.step_through(7)
    assert doc.stepping and doc.walk is not None
    np.testing.assert_array_equal(doc.walk.x, d.current.x)
    np.testing.assert_array_equal(doc.target, np.eye(10)[7])
    assert d.ask_label("t", "t") == 7  # asked once: no dialog the second time
    doc.stop_stepping()
    panel.canvas.clear()  # a new drawing starts unlabelled
    assert d.label is None


def test_teach_is_one_gradient_step_and_undo_restores_it_exactly(mwin):
    d, panel, doc = mwin.drawer, mwin.drawing, mwin.doc
    panel.canvas.draw_stroke(SEVEN)
    x, before_out = d.current.x, d.outputs.copy()
    before = params(doc)
    expected = doc.net.gradient_step(x, np.eye(10)[3], 2.0)
    assert d.teach(3, 2.0)
    for w, e in zip(doc.net.weights, expected[0]):
        np.testing.assert_array_equal(w, e)
    assert d.outputs[3] > before_out[3]  # the bars moved toward the label
    np.testing.assert_array_equal(panel.bars.outputs(), doc.net.feedforward(x))
    assert "Taught “3”" in panel.note.text() and "Undo" in panel.note.text()
    assert mwin.act_undo.text() == "&Undo Teach: the drawing is a 3 (η = 2)"
    mwin.act_undo.trigger()
    for w, b0 in zip(doc.net.weights, before[0]):
        np.testing.assert_array_equal(w, b0)
    np.testing.assert_array_equal(panel.bars.outputs(), before_out)
    mwin.act_redo.trigger()
    for w, e in zip(doc.net.weights, expected[0]):
        np.testing.assert_array_equal(w, e)


def test_teach_is_refused_while_training_runs(mwin):
    d, panel, doc = mwin.drawer, mwin.drawing, mwin.doc
    panel.canvas.draw_stroke(SEVEN)
    lock = doc.lock("training is running")
    assert not panel.teach_button.isEnabled() and not panel.step_button.isEnabled()
    assert "not now" in panel.teach_button.toolTip()
    w = doc.net.weights[0].copy()
    assert not d.teach(3, 1.0)
    assert "Not taught" in panel.note.text()
    np.testing.assert_array_equal(doc.net.weights[0], w)
    lock.release("Training")


def test_a_loaded_test_digit_gets_the_label_and_mostly_the_same_answer(mwin, mnist):
    d, panel, doc = mwin.drawer, mwin.drawing, mwin.doc
    same = 0
    for i in range(20):
        d.load_example(i)
        assert d.label == int(mnist.test.y[i])
        original = int(doc.net.predict(mnist.test.inputs(i)))
        same += int(np.argmax(panel.bars.outputs())) == original
    assert same >= 17  # measured 19 of 20 (188 of the first 200): the round trip is lossy
    assert "the network answers" in panel.note.text()
    panel.canvas.undo_stroke()  # loading is undoable on the canvas
    assert not panel.canvas.is_empty()


def test_the_browser_lists_the_misclassified_digits_and_picks_by_label(qtbot, mwin, mnist):
    wrong = mwin.doc.net.misclassified(mnist.test)
    browser = DigitBrowser(mnist.test, wrong, seed=0)
    qtbot.addWidget(browser)
    assert browser.list.count() == min(len(wrong[0]), MAX_LISTED)
    item = browser.list.item(0)
    i = item.data(0x0100)
    assert i == wrong[0][0] and f"net: {wrong[1][0]}" in item.text()
    browser.label.setCurrentIndex(4)
    browser.choose_by_label()
    assert mnist.test.y[browser.chosen] == 4
    browser.random_button.click()
    assert 0 <= browser.chosen < len(mnist.test)


def test_the_reason_goes_away_when_an_mnist_network_arrives(window, mnist):
    window.drawing.canvas.draw_stroke(SEVEN)
    assert "784 inputs" in window.drawing.note.text()
    window.load_preset("mnist-30")
    assert window.drawing.note.text() == ""
    assert window.drawer.current is not None and window.drawing.bars.outputs() is not None


def test_close_outputs_are_told_apart_in_the_note(mwin):
    d, panel = mwin.drawer, mwin.drawing
    panel.canvas.draw_stroke(SEVEN)
    assert d.teach(7, 0.01)  # a small step: the output moves in a late digit
    before, after = panel.note.text().split("went from ")[1].split(";")[0].split(" to ")
    assert before != after
