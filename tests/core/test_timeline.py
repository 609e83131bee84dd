"""The timeline: bit-identical snapshots, a memory budget kept on a 100-epoch run, thinned
evenly."""

import numpy as np
import pytest

from nnviz.core import Network, TrainConfig, Trainer
from nnviz.core.timeline import Timeline, augment
from nnviz.data.dataset import Dataset


def test_snapshots_come_back_bit_for_bit_and_are_copies():
    net = Network([3, 4, 2], seed=0)
    tl = Timeline()
    W = [w.astype(np.float32) for w in augment(net.weights, net.biases)]
    tl.add(1, W)
    tl.add(0, (net.weights, net.biases))  # an earlier epoch replaces the later ones
    assert tl.epochs == [0]
    tl.add(1, W)
    W[0][0, 0] = 99  # the timeline kept its own copy
    w, b = tl.get(0)
    for x, y in zip(w + b, net.weights + net.biases):
        assert x.dtype == np.float64 and np.array_equal(x, y)
    w1, b1 = tl.get(1)
    assert np.array_equal(w1[0], net.weights[0].astype(np.float32).astype(np.float64))
    assert w1[0][0, 0] != 99
    with pytest.raises(KeyError):
        tl.get(5)


def test_a_100_epoch_run_stays_within_the_budget_thinned_evenly():
    rng = np.random.default_rng(0)
    ds = Dataset(rng.uniform(-1, 1, (40, 20)), rng.integers(0, 3, 40), name="toy")
    net = Network([20, 16, 3], seed=0)
    per_epoch = sum(w.size + b.size for w, b in zip(net.weights, net.biases)) * 4  # float32
    budget = 30 * per_epoch
    tl = Timeline(budget)
    trainer = Trainer(net, ds, TrainConfig(epochs=100, eta=0.5, seed=0, speed_sample=0))
    tl.add(0, (net.weights, net.biases))
    sizes = []
    last = None
    for report in trainer.run():
        if hasattr(report, "train_cost") and hasattr(report, "epochs"):
            tl.add(report.epoch, trainer.kernel.get_state())
            sizes.append(tl.nbytes)
            last = [w.copy() for w in net.weights]
    assert max(sizes) <= budget
    assert tl.thinned and tl.epochs[0] == 0 and tl.epochs[-1] == 100
    gaps = np.diff(tl.epochs[1:])
    assert gaps.max() <= 2 * gaps.min()  # spread evenly over the run
    assert len(tl) >= 15
    np.testing.assert_array_equal(tl.get(100)[0][0], last[0])  # the run's last weights


def test_a_long_toy_run_keeps_at_most_max_snapshots_evenly():
    from nnviz.core import timeline

    tl = Timeline()
    W = [np.zeros((2, 3), np.float32), np.zeros((1, 3), np.float32)]
    for epoch in range(0, 10_001):
        tl.add(epoch, W)
    assert len(tl) <= timeline.MAX_SNAPSHOTS and tl.epochs[0] == 0 and tl.epochs[-1] == 10_000
    gaps = np.diff(tl.epochs[:-1])
    assert gaps.min() == gaps.max() == tl.stride  # evenly: every stride-th epoch
    assert tl.nbytes == len(tl) * 36
