"""The trainer: learns, matches the exact maths, stops cleanly (cancel, early stop, NaN)."""

import threading

import numpy as np
import pytest

from nnviz.core import (
    BatchReport,
    EpochReport,
    Network,
    TrainConfig,
    Trainer,
    TrainingResult,
    train,
)
from nnviz.core.kernel import Kernel
from nnviz.data import Dataset, xor


def test_learns_xor():
    net = Network([2, 3, 1], "sigmoid", "quadratic", seed=1)
    result = train(net, xor(), TrainConfig(eta=3.0, batch_size=4, epochs=2000, seed=0))
    assert result.reason == "completed" and result.epochs_completed == 2000
    out = net.feedforward(xor().inputs()).ravel()
    assert np.all((out > 0.5) == np.array([0, 1, 1, 0], bool)), out
    assert net.cost(net.forward(xor().inputs()), xor().targets()) < 0.01


@pytest.mark.parametrize("cost,acts", [("quadratic", ["tanh", "sigmoid"]),
                                       ("cross-entropy", ["relu", "sigmoid"]),
                                       ("log-likelihood", ["leaky-relu", "softmax"])])
@pytest.mark.parametrize("momentum,l2", [(0.0, 0.0), (0.9, 0.0), (0.5, 3.0)])
def test_float64_step_equals_the_exact_update(cost, acts, momentum, l2):
    """Two kernel steps equal the update rule applied to Network.backward's gradients."""
    rng = np.random.default_rng(0)
    net = Network([5, 4, 3], acts, cost, seed=3, init="scaled")
    x = [rng.uniform(size=(6, 5)) for _ in range(2)]
    y = [np.eye(3)[rng.integers(0, 3, 6)] for _ in range(2)]
    eta, n = 0.7, 50
    kernel = Kernel(net, np.float64)
    ref = net.copy()
    vw = [np.zeros_like(w) for w in ref.weights]
    vb = [np.zeros_like(b) for b in ref.biases]
    for xb, yb in zip(x, y):
        x1 = np.hstack([xb, np.ones((6, 1))])
        cost_sum = kernel.step(x1, yb, yb.argmax(1), eta, momentum, 1 - eta * l2 / n)
        trace = ref.forward(xb)
        assert cost_sum / 6 == pytest.approx(ref.cost(trace, yb), rel=1e-12)
        g = ref.backward(trace, yb)
        for l in range(2):
            vw[l] = momentum * vw[l] - eta * g.weights[l]
            vb[l] = momentum * vb[l] - eta * g.biases[l]
            ref.weights[l] = (1 - eta * l2 / n) * ref.weights[l] + vw[l]
            ref.biases[l] = ref.biases[l] + vb[l]
    for l in range(2):
        np.testing.assert_allclose(kernel.weights()[l], ref.weights[l], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(kernel.biases()[l], ref.biases[l], rtol=1e-12, atol=1e-14)


def test_float32_training_tracks_float64():
    ds = xor()
    a, b = Network([2, 4, 1], seed=5), Network([2, 4, 1], seed=5)
    cfg = dict(eta=2.0, batch_size=2, epochs=50, seed=1)
    train(a, ds, TrainConfig(dtype="float32", **cfg))
    train(b, ds, TrainConfig(dtype="float64", **cfg))
    for wa, wb in zip(a.weights, b.weights):
        np.testing.assert_allclose(wa, wb, rtol=1e-3, atol=1e-4)


def test_mnist_slice_beats_chance_by_far(mnist):
    net = Network([784, 30, 10], "sigmoid", "quadratic", seed=0)
    result = train(net, mnist.train.subset(slice(0, 10000)),
                   TrainConfig(eta=3.0, batch_size=10, epochs=3, seed=0),
                   test=mnist.test.subset(slice(0, 1000)))
    assert result.history[-1].test_accuracy > 0.8  # chance is 0.1
    # The network holds the trained weights and agrees with the trainer's own evaluation.
    cost, acc = net.evaluate(mnist.test.subset(slice(0, 1000)))
    assert acc == pytest.approx(result.history[-1].test_accuracy, abs=0.005)


def test_reports_every_batch_and_epoch():
    ds = xor()
    trainer = Trainer(Network([2, 2, 1], seed=0), ds,
                      TrainConfig(eta=1.0, batch_size=3, epochs=2, seed=0), test=ds)
    reports = list(trainer.run())
    kinds = [type(r) for r in reports]
    # 4 samples in batches of 3 → 2 mini-batches per epoch, including the short last one
    assert kinds == [BatchReport, BatchReport, EpochReport] * 2 + [TrainingResult]
    assert [r.batch for r in reports if isinstance(r, BatchReport)] == [1, 2, 1, 2]
    epoch = reports[2]
    # XOR's 0/1 targets for one output neuron: accuracy counts outputs above 0.5 as 1, so on
    # its 4 points it is a multiple of 1/4
    assert epoch.test_accuracy in (0.0, 0.25, 0.5, 0.75, 1.0) and epoch.test_cost > 0
    assert reports[-1] is trainer.result and trainer.result.samples_trained == 8


def test_cancel_between_batches_keeps_weights():
    net = Network([2, 2, 1], seed=0)
    before = [w.copy() for w in net.weights]
    stop = threading.Event()
    trainer = Trainer(net, xor(), TrainConfig(eta=1.0, batch_size=1, epochs=100), stop=stop)
    seen = 0
    for report in trainer.run():
        if isinstance(report, BatchReport):
            seen += 1
            if seen == 5:
                stop.set()
    assert trainer.result.reason == "cancelled" and seen == 5
    assert trainer.result.samples_trained == 5
    assert not np.array_equal(before[0], net.weights[0])  # 5 updates reached the network


def test_closing_the_generator_writes_the_weights_back():
    net = Network([2, 2, 1], seed=0)
    before = net.weights[0].copy()
    run = Trainer(net, xor(), TrainConfig(eta=1.0, batch_size=1, epochs=10)).run()
    for _ in range(3):
        next(run)
    run.close()
    assert not np.array_equal(before, net.weights[0])


def test_closing_the_generator_leaves_a_result():
    net = Network([2, 2, 1], seed=0)
    trainer = Trainer(net, xor(), TrainConfig(eta=1.0, batch_size=1, epochs=10), test=xor())
    run = trainer.run()
    for _ in range(6):  # four batches of epoch 1, its report, one batch of epoch 2
        next(run)
    run.close()
    result = trainer.result
    assert result is not None and result.reason == "cancelled"
    assert result.epochs_completed == 1 and result.samples_trained == 5
    # Measured on the weights the network holds now, one update past epoch 1.
    assert result.test_cost == pytest.approx(net.evaluate(xor())[0], rel=1e-5)
    assert result.test_cost != pytest.approx(result.history[0].test_cost, rel=1e-9)


def test_divergence_stops_with_reason_and_finite_weights():
    rng = np.random.default_rng(0)
    ds = Dataset(rng.normal(size=(64, 3)) * 50, rng.normal(size=(64, 1)) * 50, name="wild")
    net = Network([3, 8, 1], ["linear", "linear"], "quadratic", seed=0)
    result = train(net, ds, TrainConfig(eta=5.0, batch_size=8, epochs=50, seed=0))
    assert result.reason == "diverged"
    assert "inf" in result.message or "nan" in result.message
    assert all(np.isfinite(w).all() for w in net.weights + net.biases)
    # The kept weights are the last ones whose cost was finite.
    assert np.isfinite(net.cost(net.forward(ds.inputs()), ds.targets()))


def test_early_stopping_keeps_the_best_epoch(mnist):
    train_set, val = mnist.train.subset(slice(0, 600)).split(200, seed=0)
    net = Network([784, 30, 10], "sigmoid", "quadratic", seed=0)
    # A rate far too high makes validation accuracy stall at once.
    result = train(net, train_set, TrainConfig(eta=40.0, batch_size=5, epochs=40, seed=0,
                                               early_stop=2), validation=val)
    assert result.reason == "early-stopped"
    assert result.epochs_completed < 40
    best = max(result.history, key=lambda r: r.validation_accuracy)
    assert result.best_epoch == best.epoch
    assert net.evaluate(val)[1] == pytest.approx(best.validation_accuracy, abs=1e-9)


def test_the_result_measures_the_returned_network(mnist):
    """After early stopping the result's accuracies are those of the kept (best) weights, not
    the last epoch's."""
    train_set, val = mnist.train.subset(slice(0, 600)).split(200, seed=0)
    test = mnist.test.subset(slice(0, 300))
    net = Network([784, 30, 10], "sigmoid", "quadratic", seed=0)
    result = train(net, train_set, TrainConfig(eta=40.0, batch_size=5, epochs=40, seed=0,
                                               early_stop=2), validation=val, test=test)
    assert result.reason == "early-stopped" and result.best_epoch != result.history[-1].epoch
    best = result.history[result.best_epoch - 1]
    assert result.validation_accuracy == best.validation_accuracy
    assert result.test_accuracy == best.test_accuracy
    assert result.test_accuracy == pytest.approx(net.evaluate(test)[1], abs=0.004)
    plain = train(Network([2, 2, 1], seed=0), xor(), TrainConfig(epochs=3, batch_size=4))
    assert plain.test_accuracy is None and plain.validation_accuracy is None


def test_cosine_and_step_schedules():
    ds = xor()
    trainer = Trainer(Network([2, 1], seed=0), ds,
                      TrainConfig(eta=1.0, batch_size=4, epochs=4, schedule="cosine"))
    etas = [r.eta for r in trainer.run() if isinstance(r, BatchReport)]
    assert etas[0] == 1.0 and etas == sorted(etas, reverse=True) and etas[-1] < 0.2
    trainer = Trainer(Network([2, 1], seed=0), ds,
                      TrainConfig(eta=1.0, batch_size=4, epochs=5, schedule="step",
                                  step_epochs=2))
    etas = [r.eta for r in trainer.run() if isinstance(r, BatchReport)]
    assert etas == [1.0, 1.0, 0.5, 0.5, 0.25]


def test_hyperparameters_change_mid_run():
    trainer = Trainer(Network([2, 1], seed=0), xor(), TrainConfig(eta=1.0, batch_size=4,
                                                                  epochs=4))
    etas = []
    for r in trainer.run():
        if isinstance(r, BatchReport):
            etas.append(r.eta)
            trainer.set_hyperparameters(eta=0.25)
    assert etas == [1.0, 0.25, 0.25, 0.25]
    with pytest.raises(ValueError, match="momentum"):
        trainer.set_hyperparameters(momentum=1.5)


@pytest.mark.parametrize("field,value,message", [
    ("eta", 0.0, "η"), ("eta", float("nan"), "η"), ("batch_size", 0, "batch"),
    ("epochs", 0, "epochs"), ("momentum", 1.0, "momentum"), ("l2", -1.0, "L2"),
    ("schedule", "warp", "schedule"), ("early_stop", 0, "patience"), ("dtype", "int8", "dtype"),
])
def test_bad_configs_are_refused(field, value, message):
    with pytest.raises(ValueError, match=message):
        TrainConfig(**{field: value}).validate()


def test_data_that_does_not_fit_is_refused(mnist):
    with pytest.raises(ValueError, match="784 inputs and 10 outputs"):
        Trainer(Network([2, 3, 1]), mnist.test, TrainConfig())


def test_targets_the_cost_cannot_take_are_refused():
    rng = np.random.default_rng(0)
    soft = Dataset(rng.uniform(size=(8, 2)), rng.uniform(0.1, 0.9, size=(8, 3)), name="soft")
    net = Network([2, 3, 3], ["tanh", "softmax"], "log-likelihood", seed=0)
    with pytest.raises(ValueError, match="soft: the log-likelihood cost needs a target that "
                                         "sums to 1"):
        Trainer(net, soft, TrainConfig(epochs=1))
    wide = Dataset(rng.uniform(size=(8, 2)), rng.uniform(-1, 2, size=(8, 3)), name="wide")
    net = Network([2, 3, 3], ["tanh", "sigmoid"], "cross-entropy", seed=0)
    with pytest.raises(ValueError, match="between 0 and 1"):
        Trainer(net, soft, TrainConfig(epochs=1), test=wide)
    Trainer(net, soft, TrainConfig(epochs=1))  # soft targets in [0, 1] suit cross-entropy


@pytest.mark.parametrize("l1,l2", [(2.0, 0.0), (1.5, 3.0)])
def test_a_full_batch_step_with_l1_and_l2_descends_the_regularised_cost(l1, l2):
    """The trainer's regularised step is −η ∂C/∂w with C = E_sum/n + (λ₁/n) Σ|w| +
    (λ₂/2n) Σw², ∂C/∂w taken by central differences (biases: not regularised)."""
    rng = np.random.default_rng(4)
    net = Network([3, 4, 2], ["tanh", "sigmoid"], "cross-entropy", seed=5)
    n = 8
    x, y = rng.uniform(-1, 1, size=(n, 3)), rng.uniform(size=(n, 2))
    ds = Dataset(x, y)
    eta = 0.01

    def regularised(weights, biases) -> float:
        probe = Network([3, 4, 2], ["tanh", "sigmoid"], "cross-entropy",
                        parameters=(weights, biases))
        data = probe.cost(probe.forward(x), y)  # mean over the n samples
        w_abs = sum(np.abs(w).sum() for w in weights)
        w_sq = sum((w ** 2).sum() for w in weights)
        return data + l1 / n * w_abs + l2 / (2 * n) * w_sq

    before = ([w.copy() for w in net.weights], [b.copy() for b in net.biases])
    trainer = Trainer(net, ds, TrainConfig(eta=eta, batch_size=n, epochs=1, l1=l1, l2=l2,
                                           dtype="float64", seed=0))
    list(trainer.run())
    h = 1e-6
    for l in range(2):
        for kind, params in (("w", before[0]), ("b", before[1])):
            arr = params[l]
            numeric = np.zeros_like(arr)
            for idx in np.ndindex(arr.shape):
                plus = ([w.copy() for w in before[0]], [b.copy() for b in before[1]])
                minus = ([w.copy() for w in before[0]], [b.copy() for b in before[1]])
                (plus[0] if kind == "w" else plus[1])[l][idx] += h
                (minus[0] if kind == "w" else minus[1])[l][idx] -= h
                numeric[idx] = (regularised(*plus) - regularised(*minus)) / (2 * h)
            after = (net.weights if kind == "w" else net.biases)[l]
            step = -(after - arr) / eta  # the gradient the trainer followed
            np.testing.assert_allclose(step, numeric, rtol=1e-6, atol=1e-8)
    # L1 did something: without it the step differs by (λ₁/n) sign(w)
    assert np.abs(before[0][0]).min() > 1e-3


def test_l1_is_validated_and_changes_live():
    with pytest.raises(ValueError, match="L1"):
        TrainConfig(l1=-1.0).validate()
    trainer = Trainer(Network([2, 2, 1], seed=0), xor(), TrainConfig(epochs=1))
    trainer.set_hyperparameters(l1=0.5)
    assert trainer.config.l1 == 0.5


def _border_pixel_batches(steps: int, seed: int = 0):
    """Batches of 10 whose first 8 inputs are zero after the first batch (like MNIST's border
    pixels): the velocities of their weights then only decay, v ← μv."""
    rng = np.random.default_rng(seed)
    for i in range(steps):
        x1 = np.ones((10, 21), np.float32)
        x1[:, :20] = rng.uniform(size=(10, 20))
        if i:
            x1[:, :8] = 0
        yield x1, np.eye(3, dtype=np.float32)[rng.integers(0, 3, 10)]


def test_momentum_velocities_never_become_subnormal(monkeypatch):
    """850 steps of μ 0.9 take a decaying velocity from ~10⁻² into float32's subnormal range
    (slow arithmetic on some CPUs); the kernel flushes such velocities to zero before they get
    there, and the weights stay those of the textbook update (the run without flushes)."""
    import nnviz.core.kernel as kernel_module

    def run():
        kernel = Kernel(Network([20, 5, 3], seed=0), np.float32)
        for x1, y in _border_pixel_batches(850):
            kernel.step(x1, y, y.argmax(1), 0.3, 0.9)
        return kernel

    tiny = np.finfo(np.float32).tiny
    flushed = run()
    monkeypatch.setattr(kernel_module, "FLUSH_EVERY", 10**9, raising=False)
    textbook = run()
    subnormal = [int(((v != 0) & (np.abs(v) < tiny)).sum()) for v in textbook.V]
    assert subnormal[0] > 0  # the unflushed update does make subnormals here
    assert all(int(((v != 0) & (np.abs(v) < tiny)).sum()) == 0 for v in flushed.V)
    for a, b in zip(flushed.W, textbook.W):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=0)


def test_float64_momentum_equals_the_textbook_update_over_many_steps():
    """200 float64 steps with μ 0.9 (three flushes of tiny velocities) equal v ← μv − η∇,
    w ← w + v applied to Network.backward's gradients."""
    net = Network([20, 5, 3], seed=1)
    kernel = Kernel(net, np.float64)
    ref = net.copy()
    vw = [np.zeros_like(w) for w in ref.weights]
    vb = [np.zeros_like(b) for b in ref.biases]
    for x1, y in _border_pixel_batches(200, seed=1):
        kernel.step(x1.astype(np.float64), y.astype(np.float64), None, 0.3, 0.9)
        g = ref.backward(ref.forward(x1[:, :-1].astype(np.float64)), y.astype(np.float64))
        for l in range(2):
            vw[l] = 0.9 * vw[l] - 0.3 * g.weights[l]
            vb[l] = 0.9 * vb[l] - 0.3 * g.biases[l]
            ref.weights[l] = ref.weights[l] + vw[l]
            ref.biases[l] = ref.biases[l] + vb[l]
    for l in range(2):
        np.testing.assert_allclose(kernel.weights()[l], ref.weights[l], rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(kernel.biases()[l], ref.biases[l], rtol=1e-10, atol=1e-12)
