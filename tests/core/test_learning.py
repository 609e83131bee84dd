"""Learning speeds ‖∂E/∂b^l‖ against a direct backward pass, in the trainer and on MNIST; and
the histograms' bounds."""

import numpy as np
import pytest

from nnviz.core import Network, TrainConfig, Trainer
from nnviz.core.learning import BINS, SpeedProbe, gradient_norms, layer_stats
from nnviz.data.dataset import Dataset


def _toy(n=50, seed=0) -> Dataset:
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, (n, 3))
    y = (x[:, 0] * x[:, 1] > 0).astype(np.int64)
    return Dataset(x, y, name="toy")


def _direct(net: Network, x, y):
    """‖mean over samples of δ^l‖ and ‖mean of δ^l a^(l−1)ᵀ‖, one sample at a time."""
    db = [np.zeros(n) for n in net.sizes[1:]]
    dw = [np.zeros_like(w) for w in net.weights]
    for xi, yi in zip(x, y):
        g = net.backward(net.forward(xi), yi)
        for l in range(net.L):
            db[l] += g.biases[l] / len(x)
            dw[l] += g.weights[l] / len(x)
    return [np.linalg.norm(b) for b in db], [np.linalg.norm(w) for w in dw]


def test_gradient_norms_are_those_of_a_direct_backward_pass():
    net = Network([3, 5, 4, 2], ["tanh", "sigmoid", "softmax"], "log-likelihood", seed=2)
    ds = _toy()
    bias, weight = gradient_norms(net, ds.inputs(), ds.targets())
    want_b, want_w = _direct(net, ds.inputs(), ds.targets())
    np.testing.assert_allclose(bias, want_b, rtol=1e-10)
    np.testing.assert_allclose(weight, want_w, rtol=1e-10)


def test_the_trainer_reports_speeds_at_the_start_and_after_every_epoch():
    ds = _toy(200)
    net = Network([3, 6, 2], "sigmoid", "cross-entropy", seed=1, init="scaled")
    start = net.copy()
    trainer = Trainer(net, ds, TrainConfig(eta=1.0, batch_size=10, epochs=3, seed=0,
                                           speed_sample=120, weight_speed=True,
                                           speed_share=None))
    nets = []
    for report in trainer.run():
        if hasattr(report, "learning_speed") and report.learning_speed is not None:
            nets.append((net.copy(), report))
    result = trainer.result
    sample = ds.subset(slice(0, 120))
    want = _direct(start, sample.inputs(), sample.targets())
    np.testing.assert_allclose(result.initial_learning_speed, want[0], rtol=1e-10)
    np.testing.assert_allclose(result.initial_weight_speed, want[1], rtol=1e-10)
    assert [r.epoch for _, r in nets] == [1, 2, 3]
    for after, report in nets:  # measured on the network the epoch left behind
        want = _direct(after, sample.inputs(), sample.targets())
        np.testing.assert_allclose(report.learning_speed, want[0], rtol=1e-10)
        np.testing.assert_allclose(report.weight_speed, want[1], rtol=1e-10)
        assert report.learning_speed != result.initial_learning_speed


def test_speeds_can_be_switched_off_and_weight_speeds_are_optional():
    ds = _toy()
    off = Trainer(Network([3, 2, 2], seed=0), ds, TrainConfig(epochs=1, speed_sample=0))
    list(off.run())
    assert off.result.initial_learning_speed is None
    assert off.result.history[0].learning_speed is None
    on = Trainer(Network([3, 2, 2], seed=0), ds, TrainConfig(epochs=1))
    list(on.run())
    assert len(on.result.initial_learning_speed) == 2
    assert on.result.initial_weight_speed is None and on.result.history[0].weight_speed is None


def test_a_continued_run_keeps_its_initial_speeds():
    ds = _toy()
    net = Network([3, 4, 2], seed=0)
    first = Trainer(net, ds, TrainConfig(epochs=1, seed=0))
    list(first.run())
    second = Trainer(net, ds, TrainConfig(epochs=2, seed=0), continue_from=first.result)
    list(second.run())
    assert second.result.initial_learning_speed == first.result.initial_learning_speed


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_deep_sigmoid_nets_learn_slowly_in_front_and_relu_nets_evenly(mnist, seed):
    """The issue's check on 784-30-30-30-10 (the first 1,000 training images)."""
    probe = SpeedProbe(mnist.train)
    sigmoid = Network([784, 30, 30, 30, 10], "sigmoid", "cross-entropy", seed=seed,
                      init="scaled")
    speeds = probe.measure(sigmoid)[0]
    assert speeds[0] < speeds[2] / 10
    relu = Network([784, 30, 30, 30, 10], ["relu"] * 3 + ["softmax"], "log-likelihood",
                   seed=seed, init="he")
    hidden = probe.measure(relu)[0][:3]
    assert max(hidden) < 3 * min(hidden)


def test_histograms_are_bounded_and_count_every_value():
    net = Network([784, 50, 10], ["relu", "sigmoid"], "quadratic", seed=0, init="he")
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, (40, 784))
    y = np.eye(10)[rng.integers(0, 10, 40)]
    stats = layer_stats(net, x, y)
    assert [s.layer for s in stats] == [1, 2]
    for s, w in zip(stats, net.weights):
        for h, n in ((s.weights, w.size), (s.activations, 40 * w.shape[0]),
                     (s.deltas, 40 * w.shape[0])):
            assert h.counts.shape == (BINS,) and h.edges.shape == (BINS + 1,)
            assert h.total == n
    assert stats[0].dead is not None and 0 <= stats[0].dead <= 1 and stats[0].saturated is None
    assert stats[1].saturated is not None and stats[1].dead is None


def test_saturation_and_dead_units_are_counted():
    net = Network([1, 2, 1], ["relu", "sigmoid"], "quadratic", seed=0)
    net.set_parameters([[[1.0], [-1.0]], [[100.0, 0.0]]], [[0.0, -5.0], [0.0]])
    stats = layer_stats(net, np.array([[1.0], [2.0]]), None)
    assert stats[0].dead == 0.5  # unit 1: −x − 5 < 0 for both inputs
    assert stats[1].saturated == 1.0  # σ(100) and σ(200)
    assert stats[1].deltas.total == 0  # no targets, no δ


def test_a_share_of_time_leaves_out_some_epochs_but_never_the_first_or_last(monkeypatch):
    ds = _toy()
    trainer = Trainer(Network([3, 2, 2], seed=0), ds, TrainConfig(epochs=6, speed_share=0.01))
    clock = iter(range(0, 10_000, 1))  # every perf_counter call one second later
    monkeypatch.setattr("nnviz.core.training.time.perf_counter", lambda: float(next(clock)))
    list(trainer.run())
    measured = [r.learning_speed is not None for r in trainer.result.history]
    assert measured[0] and measured[-1]
    assert not all(measured)
