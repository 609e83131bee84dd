import numpy as np
import pytest

from nnviz.core import Network, TrainConfig
from nnviz.core.sweep import SWEEPS, parse_values, run_setup


def test_values_parse_and_bad_ones_are_refused_with_a_reason():
    assert parse_values("hidden", "10, 30 100").values == (10, 30, 100)
    assert parse_values("eta", "0.1;3").values == (0.1, 3.0)
    assert parse_values("eta", "0.1, 3").log_axis
    for kind, text, words in [("hidden", "10", "at least two"), ("hidden", "10, x", "'x'"),
                              ("hidden", "10, 2.5", "whole"), ("hidden", "0, 5", "between"),
                              ("eta", "1, -1", "positive"), ("eta", "1, nan", "positive"),
                              ("seed", "1, 1", "once"), ("depth", "1, 2", "cannot sweep"),
                              ("seed", " ".join(map(str, range(30))), "at most")]:
        with pytest.raises(ValueError, match=words):
            parse_values(kind, text)
    assert set(SWEEPS) == {"hidden", "eta", "seed"}


def test_each_run_gets_fresh_weights_and_only_the_swept_value_differs():
    base = Network([4, 6, 6, 2], ["tanh", "relu", "sigmoid"], "cross-entropy", seed=9)
    saved = [w.copy() for w in base.weights]
    config = TrainConfig(eta=1.0, epochs=3, seed=5)
    net, cfg = run_setup(base, config, parse_values("hidden", "3, 8"), 3)
    assert net.sizes == [4, 3, 3, 2] and net.activation_names == base.activation_names
    assert net.cost_name == "cross-entropy" and cfg == config
    net, cfg = run_setup(base, config, parse_values("eta", "0.5, 2"), 0.5)
    assert net.sizes == base.sizes and cfg.eta == 0.5 and cfg.epochs == 3
    # η and hidden sweeps start alike (config's seed); a seed sweep draws new weights.
    again, _ = run_setup(base, config, parse_values("eta", "0.5, 2"), 2)
    np.testing.assert_array_equal(net.weights[0], again.weights[0])
    a, _ = run_setup(base, config, parse_values("seed", "1, 2"), 1)
    b, _ = run_setup(base, config, parse_values("seed", "1, 2"), 2)
    assert not np.array_equal(a.weights[0], b.weights[0])
    np.testing.assert_array_equal(a.weights[0], Network([4, 6, 6, 2], seed=1).weights[0])
    for w, s in zip(base.weights, saved):
        np.testing.assert_array_equal(w, s)


def test_a_network_without_hidden_layers_cannot_sweep_hidden_sizes():
    with pytest.raises(ValueError, match="no hidden layer"):
        run_setup(Network([2, 1], seed=0), TrainConfig(), parse_values("hidden", "2, 3"), 2)
