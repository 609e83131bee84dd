"""The timeline bar: every epoch of a run kept bit for bit, scrubbing shows it in the document
(locked, no undo step), Latest puts the latest back, Keep this epoch is one undoable step."""

import numpy as np

TIMEOUT = 60000


def _same(a, b) -> bool:
    return all(np.array_equal(x, y) for x, y in zip(a, b))


def _train(window, qtbot, epochs=10):
    window.load_preset("2-3-1")
    window.training.epochs.setValue(epochs)
    window.training.pace.setValue(0)
    start = [w.copy() for w in window.doc.net.weights]
    with qtbot.waitSignal(window.trainer.finished, timeout=TIMEOUT):
        window.training.start()
    return start


def test_scrubbing_shows_each_epoch_and_latest_gives_the_end_back(window, qtbot):
    start = _train(window, qtbot)
    bar, doc, run = window.learning.timeline, window.doc, window.trainer.run
    final_w = [w.copy() for w in doc.net.weights]
    final_b = [b.copy() for b in doc.net.biases]
    assert run.timeline.epochs == list(range(11)) and bar.slider.isEnabled()
    assert _same(run.timeline.get(10)[0], final_w)  # bit for bit: the run's last weights
    assert _same(run.timeline.get(10)[1], final_b)
    undo = doc.undo_stack.count()
    bar.show_epoch(0)
    assert _same(doc.net.weights, start) and doc.locked_reason
    assert bar.label.text() == "Timeline: the start of 10"
    bar.step(1)
    assert bar.shown_epoch == 1 and _same(doc.net.weights, run.timeline.get(1)[0])
    bar.back_to_latest()
    assert not doc.locked_reason and doc.undo_stack.count() == undo
    assert _same(doc.net.weights, final_w) and _same(doc.net.biases, final_b)


def test_keep_this_epoch_is_one_undoable_step(window, qtbot):
    _train(window, qtbot)
    bar, doc, run = window.learning.timeline, window.doc, window.trainer.run
    final = [w.copy() for w in doc.net.weights]
    undo = doc.undo_stack.count()
    bar.show_epoch(3)
    bar.keep_button.click()
    assert not doc.locked_reason and doc.undo_stack.count() == undo + 1
    assert _same(doc.net.weights, run.timeline.get(3)[0])
    assert "epoch 3" in doc.undo_stack.undoText()
    doc.undo_stack.undo()
    assert _same(doc.net.weights, final)


def test_a_run_started_while_scrubbed_starts_from_the_latest(window, qtbot):
    _train(window, qtbot, epochs=4)
    bar, doc = window.learning.timeline, window.doc
    final = [w.copy() for w in doc.net.weights]
    bar.show_epoch(1)
    with qtbot.waitSignal(window.trainer.finished, timeout=TIMEOUT):
        window.training.start()
    assert window.trainer.run.timeline.get(0)[0][0].tolist() == final[0].tolist()


def test_presenter_keys_move_along_the_timeline_in_presentation_mode_only(window, qtbot):
    from PySide6.QtCore import Qt

    _train(window, qtbot, epochs=4)
    bar = window.learning.timeline
    earlier, later = window.learning.timeline_actions
    assert not earlier.isEnabled()  # Shift+Left selects text outside presentation mode
    window.presentation.enter(full_screen=False)
    assert earlier.isEnabled()
    window.activateWindow()  # keys reach the window's shortcuts when it is the active one
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)
    qtbot.keyClick(window.view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert bar.shown_epoch == 3
    earlier.trigger()
    assert bar.shown_epoch == 2
    later.trigger()
    later.trigger()
    assert bar.shown_epoch is None and not window.doc.locked_reason  # back at the latest
    window.presentation.leave()
    assert not later.isEnabled()
