"""The training session, Qt-free: settings that announce their changes, the settings as a
TrainConfig and a data source, the state enum and the runs (the curves are tested in
tests/ui/training/test_training.py)."""

import pytest

from nnviz.core.session import TrainingSession, TrainingSettings, TrainingState
from nnviz.core.training import TrainConfig
from nnviz.data import xor


def test_a_changed_field_is_announced_once_to_its_observers_and_to_all_fields_observers():
    s = TrainingSettings()
    eta, every = [], []
    s.observe(lambda name, value: eta.append(value), "eta")
    s.observe(lambda name, value: every.append((name, value)))
    s.eta = 0.5
    s.eta = 0.5  # the same value: nothing to announce
    s.batch_size = 32
    assert eta == [0.5] and every == [("eta", 0.5), ("batch_size", 32)]


def test_unobserve_stops_the_calls_and_unknown_fields_are_refused():
    s = TrainingSettings()
    seen = []

    def callback(name, value):
        seen.append(value)

    s.observe(callback, "l2")
    s.unobserve(callback, "l2")
    s.unobserve(callback, "l2")  # twice is harmless
    s.l2 = 1.0
    assert seen == []
    with pytest.raises(AttributeError, match="no field"):
        s.observe(callback, "learning_rate")


def test_the_defaults_are_the_trainers_and_the_config_is_checked():
    s = TrainingSettings()
    c = s.config()
    assert (c.eta, c.batch_size, c.epochs, c.momentum) == (TrainConfig.eta, TrainConfig.batch_size,
                                                          TrainConfig.epochs, TrainConfig.momentum)
    assert c.early_stop is None and c.pace is None and c.evaluate_train
    s.early_stop, s.pace = 3, 20.0
    assert s.config().early_stop == 3 and s.config().pace == 20.0
    s.eta = -1.0
    with pytest.raises(ValueError, match="η must be a positive number"):
        s.config()


def test_a_hint_sets_the_suggested_values_and_none_goes_back_to_full_speed():
    s = TrainingSettings()
    s.take_hint(TrainConfig(eta=0.03, batch_size=7, epochs=50, l2=0.1, momentum=0.5, pace=40))
    assert (s.eta, s.batch_size, s.epochs, s.l2, s.momentum, s.pace) == (0.03, 7, 50, 0.1, 0.5,
                                                                         40)
    s.take_hint(None)
    assert s.pace == 0.0 and s.eta == 0.03


def test_the_data_source_own_data_mnist_or_a_plain_refusal():
    s = TrainingSettings(subset=1000, validation=100, seed=3)
    own = xor()
    spec = s.data_spec([2, 2, 1], own, None)
    assert spec.train is own and spec.test is own
    spec = s.data_spec([784, 30, 10], None, None)
    assert spec.is_mnist and (spec.train_size, spec.validation_size, spec.seed) == (1000, 100, 3)
    with pytest.raises(ValueError, match="no training data for a 3-4-2 network"):
        s.data_spec([3, 4, 2], None, None)
    s.validation, s.early_stop = 0, 5
    with pytest.raises(ValueError, match="Early stopping needs a validation set"):
        s.data_spec([784, 30, 10], None, None)


@pytest.mark.parametrize("state, active, live, text", [
    (TrainingState.IDLE, False, False, "Train"), (TrainingState.STARTING, True, True, "Pause"),
    (TrainingState.RUNNING, True, True, "Pause"), (TrainingState.PAUSED, True, False, "Resume"),
    (TrainingState.FINISHED, False, False, "Train"), (TrainingState.FAILED, False, False, "Train")])
def test_the_state_says_what_a_run_can_do(state, active, live, text):
    assert (state.active, state.live, state.toggle_text) == (active, live, text)


def test_runs_are_numbered_named_and_a_hint_is_taken_once_and_never_during_a_run():
    session = TrainingSession()
    run = session.begin_run([2, 4, 1], TrainConfig(eta=0.5, batch_size=8), "sweep")
    assert run.name == "run 1: 2-4-1, η=0.5, m=8, sweep" and session.run is run and run.going_on
    assert run.settings["sizes"] == [2, 4, 1] and run.settings["eta"] == 0.5
    assert session.begin_run([2, 4, 1], TrainConfig()).name.startswith("run 2:")
    hint = TrainConfig(eta=0.07)
    assert session.take_hint(hint) and session.settings.eta == 0.07
    session.settings.eta = 1.0
    assert not session.take_hint(hint) and session.settings.eta == 1.0  # the user's value stays
    session.state = TrainingState.RUNNING
    assert not session.take_hint(TrainConfig(eta=0.2)) and session.settings.eta == 1.0


def test_l1_is_a_live_setting_that_reaches_the_config_and_comes_with_a_hint():
    s = TrainingSettings()
    assert s.l1 == 0.0 and "l1" in s.LIVE
    s.l1 = 0.25
    assert s.config().l1 == 0.25
    s.take_hint(TrainConfig(eta=0.1, l1=0.5))
    assert s.l1 == 0.5
    s.l1 = -1.0
    with pytest.raises(ValueError, match="L1"):
        s.config()


def test_a_runs_speeds_follow_its_latest_structure():
    from nnviz.core.session import Run
    from nnviz.core.training import EpochReport

    def report(epoch, speeds):
        return EpochReport(epoch, 5, 0.1, None, None, None, None, None, 0.0, 0.0, 0.0, 1.0,
                           speeds)

    run = Run("r", {}, initial_speed=[1.0, 2.0])
    run.epochs = [report(1, [0.5, 1.5]), report(2, None), report(3, [0.1, 0.2, 0.3])]
    xs, ys = run.speeds()
    assert xs.tolist() == [3.0] and ys.tolist() == [[0.1, 0.2, 0.3]]
    run.epochs = run.epochs[:2]
    xs, ys = run.speeds()
    assert xs.tolist() == [0.0, 1.0] and ys.shape == (2, 2)
