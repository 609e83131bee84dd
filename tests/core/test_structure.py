import numpy as np
import pytest

from nnviz.core import Network
from nnviz.core.network import MAX_LAYER_SIZE
from nnviz.core.structure import (
    DEFAULT_LAYER_SIZE,
    add_layer,
    add_neuron,
    remove_layer,
    remove_neuron,
    set_activation,
    set_layer_size,
)


def make(sizes=(3, 5, 4, 2), acts=("tanh", "relu", "sigmoid"), cost="quadratic", init="scaled",
         seed=0):
    return Network(list(sizes), list(acts), cost, seed=seed, init=init)


def snapshot(net):
    return (list(net.sizes), net.activation_names, net.cost_name, net.init,
            [w.copy() for w in net.weights], [b.copy() for b in net.biases])


def assert_same(net, snap):
    """net's structure and every parameter are bit for bit those of the snapshot."""
    sizes, acts, cost, init, ws, bs = snap
    assert net.sizes == sizes and net.activation_names == acts
    assert net.cost_name == cost and net.init == init
    assert len(net.weights) == len(ws) and len(net.biases) == len(bs)
    for w, w0 in zip(net.weights, ws):
        assert np.array_equal(w, w0)
    for b, b0 in zip(net.biases, bs):
        assert np.array_equal(b, b0)


def assert_shapes(net):
    for l in range(1, net.L + 1):
        assert net.weights[l - 1].shape == (net.sizes[l], net.sizes[l - 1])
        assert net.biases[l - 1].shape == (net.sizes[l],)
        assert net.weights[l - 1].dtype == np.float64 and net.biases[l - 1].dtype == np.float64


def inputs(net, m=16, seed=1):
    return np.random.default_rng(seed).standard_normal((m, net.sizes[0]))


def assert_same_output(new, old, x):
    """a^L of both networks agree: a change that only adds or drops terms that are 0 leaves the
    output mathematically the same, but BLAS may sum a longer row in another order, so allow the
    last bit (≈1e−16; a real change is far larger)."""
    np.testing.assert_allclose(new.feedforward(x), old.feedforward(x), rtol=0, atol=1e-13)


def assert_trains(net):
    """One gradient step runs on the new shapes and gives finite parameters of the same shapes."""
    x = inputs(net, 8, seed=2)
    labels = np.random.default_rng(3).integers(0, net.sizes[-1], 8)
    y = np.eye(net.sizes[-1])[labels]
    ws, bs = net.gradient_step(x, y, 0.1)
    for w, w0, b, b0 in zip(ws, net.weights, bs, net.biases):
        assert w.shape == w0.shape and b.shape == b0.shape
        assert np.isfinite(w).all() and np.isfinite(b).all()
    step = net.copy()
    step.set_parameters(ws, bs)
    assert step.cost(step.forward(x), y) != net.cost(net.forward(x), y)


@pytest.fixture
def net():
    """The network every test edits; afterwards it must be exactly as it was."""
    n = make()
    snap = snapshot(n)
    yield n
    assert_same(n, snap)


# -- add_neuron ------------------------------------------------------------------------------

@pytest.mark.parametrize("layer", [1, 2])
def test_add_neuron_keeps_every_weight_and_the_output(net, layer):
    new = add_neuron(net, layer, seed=5)
    assert_shapes(new)
    n = net.sizes[layer]
    assert new.sizes == net.sizes[:layer] + [n + 1] + net.sizes[layer + 1:]
    assert new.activation_names == net.activation_names
    assert (new.cost_name, new.init) == (net.cost_name, net.init)
    assert np.array_equal(new.weights[layer - 1][:n], net.weights[layer - 1])
    assert np.array_equal(new.biases[layer - 1][:n], net.biases[layer - 1])
    assert np.array_equal(new.weights[layer][:, :n], net.weights[layer])
    assert not new.weights[layer][:, n].any()  # outgoing weights 0
    assert new.weights[layer - 1][n].any()  # incoming weights drawn
    for l in range(1, net.L + 1):
        if l not in (layer, layer + 1):
            assert np.array_equal(new.weights[l - 1], net.weights[l - 1])
        if l != layer:
            assert np.array_equal(new.biases[l - 1], net.biases[l - 1])
    x = inputs(net)
    assert_same_output(new, net, x)
    assert_same_output(new, net, x[0])
    assert_trains(new)


def test_add_neuron_is_deterministic_and_draws_as_the_initialisation_does():
    net = make()
    a, b, c = add_neuron(net, 1, seed=7), add_neuron(net, 1, seed=7), add_neuron(net, 1, seed=8)
    assert np.array_equal(a.weights[0], b.weights[0]) and np.array_equal(a.biases[0], b.biases[0])
    assert not np.array_equal(a.weights[0][-1], c.weights[0][-1])
    # many new neurons at once, to see the spread: N(0, 1/n_in) ("scaled"), N(0, 2/n_in) ("he")
    for init, std in [("standard", 1.0), ("scaled", 1 / 20), ("he", np.sqrt(2) / 20)]:
        big = set_layer_size(make((400, 2, 1), ("tanh", "sigmoid"), init=init), 1, 202, seed=0)
        assert big.init == init
        rows = big.weights[0][2:]
        assert abs(rows.std() / std - 1) < 0.03 and abs(rows.mean()) < 0.03 * std
        if init == "he":
            assert not big.biases[0][2:].any()
        else:
            assert abs(big.biases[0][2:].std() - 1) < 0.25


def test_add_neuron_refuses_layers_that_are_not_hidden(net):
    with pytest.raises(ValueError, match="layer 0 is the input layer; only hidden layers 1…2"):
        add_neuron(net, 0)
    with pytest.raises(ValueError, match="layer 3 is the output layer; only hidden layers 1…2 "
                                         "can get a new neuron"):
        add_neuron(net, 3)
    with pytest.raises(ValueError, match="there is no layer 7"):
        add_neuron(net, 7)
    with pytest.raises(ValueError, match="there is no layer -1"):
        add_neuron(net, -1)
    with pytest.raises(ValueError, match="whole number"):
        add_neuron(net, 1.0)
    with pytest.raises(ValueError, match="whole number"):
        add_neuron(net, True)
    with pytest.raises(ValueError, match="no hidden layers"):
        add_neuron(make((2, 1), ("sigmoid",)), 1)
    with pytest.raises(ValueError, match="most neurons"):
        add_neuron(Network([1, MAX_LAYER_SIZE, 1], seed=0), 1)
    assert add_neuron(net, np.int64(2), seed=0).sizes == [3, 5, 5, 2]


# -- remove_neuron ---------------------------------------------------------------------------

@pytest.mark.parametrize("layer, j", [(1, 0), (1, 2), (1, 4), (2, 3)])
def test_remove_neuron_drops_its_row_bias_and_column(net, layer, j):
    new = remove_neuron(net, layer, j)
    assert_shapes(new)
    assert new.sizes[layer] == net.sizes[layer] - 1
    assert np.array_equal(new.weights[layer - 1], np.delete(net.weights[layer - 1], j, axis=0))
    assert np.array_equal(new.biases[layer - 1], np.delete(net.biases[layer - 1], j))
    assert np.array_equal(new.weights[layer], np.delete(net.weights[layer], j, axis=1))
    for l in range(1, net.L + 1):
        if l not in (layer, layer + 1):
            assert np.array_equal(new.weights[l - 1], net.weights[l - 1])
        if l != layer:
            assert np.array_equal(new.biases[l - 1], net.biases[l - 1])
    assert new.activation_names == net.activation_names
    assert_trains(new)


def test_removing_a_neuron_that_feeds_nothing_leaves_the_output_alone():
    net = make()
    w = [w.copy() for w in net.weights]
    w[1][:, 2] = 0.0  # neuron 2 of layer 1 feeds nothing
    net.set_parameters(w, net.biases)
    new = remove_neuron(net, 1, 2)
    assert_same_output(new, net, inputs(net))
    assert np.abs(remove_neuron(net, 1, 1).feedforward(inputs(net)) - net.feedforward(inputs(net))
                  ).max() > 1e-6  # removing a neuron that does feed something shows


def test_add_then_remove_the_new_neuron_gives_back_the_network(net):
    for layer in (1, 2):
        back = remove_neuron(add_neuron(net, layer, seed=3), layer, net.sizes[layer])
        assert_same(back, snapshot(net))


def test_remove_neuron_refuses_the_last_neuron_and_missing_ones(net):
    with pytest.raises(ValueError, match="layer 1 has no neuron 5 \\(its neurons are 0…4\\)"):
        remove_neuron(net, 1, 5)
    with pytest.raises(ValueError, match="no neuron -1"):
        remove_neuron(net, 1, -1)
    with pytest.raises(ValueError, match="output layer; only hidden layers 1…2 can lose"):
        remove_neuron(net, 3, 0)
    with pytest.raises(ValueError, match="input layer"):
        remove_neuron(net, 0, 0)
    thin = make((3, 1, 2), ("tanh", "sigmoid"))
    with pytest.raises(ValueError, match="only neuron of layer 1.*remove the whole layer"):
        remove_neuron(thin, 1, 0)
    with pytest.raises(ValueError, match="its only neuron is 0"):
        remove_neuron(thin, 1, 1)


# -- set_layer_size --------------------------------------------------------------------------

def test_set_layer_size_grows_like_add_neuron_and_shrinks_from_the_end(net):
    grown = set_layer_size(net, 2, 7, seed=4)
    assert_shapes(grown)
    assert grown.sizes == [3, 5, 7, 2]
    assert np.array_equal(grown.weights[1][:4], net.weights[1])
    assert np.array_equal(grown.biases[1][:4], net.biases[1])
    assert np.array_equal(grown.weights[2][:, :4], net.weights[2])
    assert not grown.weights[2][:, 4:].any()
    assert_same_output(grown, net, inputs(net))
    assert_trains(grown)
    one = add_neuron(net, 2, seed=4)
    assert_same(set_layer_size(net, 2, 5, seed=4), snapshot(one))

    shrunk = set_layer_size(net, 1, 2)
    assert_shapes(shrunk)
    assert shrunk.sizes == [3, 2, 4, 2]
    assert np.array_equal(shrunk.weights[0], net.weights[0][:2])
    assert np.array_equal(shrunk.biases[0], net.biases[0][:2])
    assert np.array_equal(shrunk.weights[1], net.weights[1][:, :2])
    assert np.array_equal(shrunk.weights[2], net.weights[2])
    assert_trains(shrunk)

    assert_same(set_layer_size(net, 1, 5), snapshot(net))
    assert_same(set_layer_size(set_layer_size(net, 1, 9, seed=0), 1, 5), snapshot(net))


def test_set_layer_size_checks_the_size_and_the_layer(net):
    for bad in (0, -3, MAX_LAYER_SIZE + 1):
        with pytest.raises(ValueError, match=f"between 1 and {MAX_LAYER_SIZE} neurons"):
            set_layer_size(net, 1, bad)
    with pytest.raises(ValueError, match="whole number"):
        set_layer_size(net, 1, 2.5)
    with pytest.raises(ValueError, match="output layer; only hidden layers 1…2 can be resized"):
        set_layer_size(net, 3, 4)


# -- add_layer -------------------------------------------------------------------------------

def test_add_layer_after_a_hidden_layer_keeps_the_next_layers_weights(net):
    new = add_layer(net, 1, seed=2)
    assert_shapes(new)
    assert new.sizes == [3, 5, 5, 4, 2]  # default size: that of layer 1
    assert new.activation_names == ["tanh", "tanh", "relu", "sigmoid"]  # copied from layer 1
    assert (new.cost_name, new.init) == (net.cost_name, net.init)
    assert np.array_equal(new.weights[0], net.weights[0])
    assert np.array_equal(new.biases[0], net.biases[0])
    for l in (2, 3):  # the old layers 2 and 3 are now 3 and 4, weights and biases kept
        assert np.array_equal(new.weights[l], net.weights[l - 1])
        assert np.array_equal(new.biases[l], net.biases[l - 1])
    assert new.weights[1].any() and not np.array_equal(new.weights[1], np.eye(5))
    assert_trains(new)
    again = add_layer(net, 1, seed=2)
    assert np.array_equal(again.weights[1], new.weights[1])


def test_add_layer_of_another_size_draws_the_next_layers_weights(net):
    new = add_layer(net, 2, size=6, activation="leaky-relu", seed=1)
    assert_shapes(new)
    assert new.sizes == [3, 5, 4, 6, 2]
    assert new.activation_names == ["tanh", "relu", "leaky-relu", "sigmoid"]
    for l in (1, 2):
        assert np.array_equal(new.weights[l - 1], net.weights[l - 1])
        assert np.array_equal(new.biases[l - 1], net.biases[l - 1])
    assert new.weights[3].shape == (2, 6)  # output layer: fresh weights, kept biases
    assert np.array_equal(new.biases[3], net.biases[2])
    assert_trains(new)

    first = add_layer(net, 0, seed=1)  # after the input: size and σ of the next hidden layer
    assert first.sizes == [3, 5, 5, 4, 2]
    assert first.activation_names == ["tanh", "tanh", "relu", "sigmoid"]
    assert np.array_equal(first.biases[1], net.biases[0])
    assert np.array_equal(first.weights[2], net.weights[1])
    assert_trains(first)

    bare = make((2, 1), ("sigmoid",), cost="cross-entropy")
    deep = add_layer(bare, 0, seed=0)
    assert deep.sizes == [2, DEFAULT_LAYER_SIZE, 1]
    assert deep.activation_names == ["tanh", "sigmoid"] and deep.cost_name == "cross-entropy"
    assert np.array_equal(deep.biases[1], bare.biases[0])
    assert_trains(deep)
    square = add_layer(bare, 0, size=2, seed=0)  # as wide as the input: w^1 becomes w^2
    assert np.array_equal(square.weights[1], bare.weights[0])


def test_an_identity_layer_leaves_the_output_alone(net):
    x = inputs(net)
    for after in (0, 1, 2):
        new = add_layer(net, after, identity=True)
        assert new.sizes[after + 1] == net.sizes[after]
        assert new.activation_names[after] == "linear"
        assert np.array_equal(new.weights[after], np.eye(net.sizes[after]))
        assert not new.biases[after].any()
        assert_same_output(new, net, x)
        assert_trains(new)


def test_add_layer_refuses_bad_places_sizes_and_activations(net):
    with pytest.raises(ValueError, match="layer 3 is the output layer; a new layer can only go "
                                         "after layer 0…2"):
        add_layer(net, 3)
    with pytest.raises(ValueError, match="there is no layer -1"):
        add_layer(net, -1)
    with pytest.raises(ValueError, match="softmax is only allowed on the output layer"):
        add_layer(net, 1, activation="softmax")
    with pytest.raises(ValueError, match="unknown activation 'swish'; choose one of sigmoid"):
        add_layer(net, 1, activation="swish")
    with pytest.raises(ValueError, match="between 1 and"):
        add_layer(net, 1, size=0)
    with pytest.raises(ValueError, match="linear activation, not tanh"):
        add_layer(net, 1, activation="tanh", identity=True)
    with pytest.raises(ValueError, match="needs its 5 neurons, not 3"):
        add_layer(net, 1, size=3, identity=True)


# -- remove_layer ----------------------------------------------------------------------------

def test_remove_layer_keeps_the_next_layers_weights_when_they_fit():
    net = make((3, 4, 4, 2))
    snap = snapshot(net)
    new = remove_layer(net, 2, seed=0)  # n_2 = n_1: w^3 still fits
    assert_shapes(new)
    assert new.sizes == [3, 4, 2] and new.activation_names == ["tanh", "sigmoid"]
    assert np.array_equal(new.weights[0], net.weights[0])
    assert np.array_equal(new.biases[0], net.biases[0])
    assert np.array_equal(new.weights[1], net.weights[2])
    assert np.array_equal(new.biases[1], net.biases[2])
    assert_trains(new)
    assert_same(net, snap)


def test_remove_layer_draws_the_next_layers_weights_when_they_do_not_fit(net):
    new = remove_layer(net, 1, seed=0)
    assert_shapes(new)
    assert new.sizes == [3, 4, 2] and new.activation_names == ["relu", "sigmoid"]
    assert new.weights[0].shape == (4, 3)
    assert np.array_equal(new.biases[0], net.biases[1])  # biases kept
    assert np.array_equal(new.weights[1], net.weights[2])
    assert np.array_equal(new.biases[1], net.biases[2])
    assert np.array_equal(remove_layer(net, 1, seed=0).weights[0], new.weights[0])
    assert_trains(new)
    last = remove_layer(net, 2)
    assert last.sizes == [3, 5, 2] and last.activation_names == ["tanh", "sigmoid"]
    assert np.array_equal(last.weights[0], net.weights[0])
    assert np.array_equal(last.biases[1], net.biases[2])
    assert_trains(last)
    flat = remove_layer(last, 1)
    assert flat.sizes == [3, 2] and flat.L == 1
    assert_trains(flat)


def test_folding_a_linear_layer_leaves_the_output_alone(net):
    linear = set_activation(net, "linear", [2])
    x = inputs(net)
    folded = remove_layer(linear, 2, fold=True)
    assert folded.sizes == [3, 5, 2]
    np.testing.assert_allclose(folded.feedforward(x), linear.feedforward(x), rtol=1e-12)
    assert_trains(folded)
    back = remove_layer(add_layer(net, 1, identity=True), 2, fold=True)
    np.testing.assert_allclose(back.feedforward(x), net.feedforward(x), rtol=1e-12)
    with pytest.raises(ValueError, match="only a linear layer can be folded into the next one; "
                                         "layer 2 is relu"):
        remove_layer(net, 2, fold=True)


def test_remove_layer_refuses_the_input_the_output_and_networks_without_hidden_layers(net):
    with pytest.raises(ValueError, match="^layer 3 is the output layer; only hidden layers 1…2 "
                                         "can be removed$"):
        remove_layer(net, 3)
    with pytest.raises(ValueError, match="layer 0 is the input layer"):
        remove_layer(net, 0)
    with pytest.raises(ValueError, match="there is no layer 4"):
        remove_layer(net, 4)
    one = make((3, 5, 2), ("tanh", "sigmoid"))
    with pytest.raises(ValueError, match="only hidden layer 1 can be removed"):
        remove_layer(one, 2)
    with pytest.raises(ValueError, match="no hidden layers"):
        remove_layer(remove_layer(one, 1), 1)


# -- set_activation --------------------------------------------------------------------------

def test_set_activation_keeps_every_parameter(net):
    new = set_activation(net, "relu")
    assert new.activation_names == ["relu", "relu", "sigmoid"]  # hidden layers only
    assert new.sizes == net.sizes and new.cost_name == net.cost_name
    for w, w0, b, b0 in zip(new.weights, net.weights, new.biases, net.biases):
        assert np.array_equal(w, w0) and np.array_equal(b, b0)
    assert_trains(new)
    assert set_activation(net, "Step", [2]).activation_names == ["tanh", "step", "sigmoid"]
    assert set_activation(net, "linear", []).activation_names == net.activation_names
    out = set_activation(net, "tanh", [3])  # the output layer, where the cost allows it
    assert out.activation_names == ["tanh", "relu", "tanh"]
    assert_trains(out)
    bare = make((2, 1), ("sigmoid",))
    assert set_activation(bare, "relu").activation_names == ["sigmoid"]


def test_set_activation_refuses_softmax_inside_unknown_names_and_bad_layers(net):
    with pytest.raises(ValueError, match="softmax is only allowed on the output layer \\(layer "
                                         "3\\), not on hidden layer 1; choose one of sigmoid"):
        set_activation(net, "softmax")
    with pytest.raises(ValueError, match="unknown activation 'gelu'; choose one of sigmoid, "
                                         "tanh, relu"):
        set_activation(net, "gelu")
    with pytest.raises(ValueError, match="input layer"):
        set_activation(net, "relu", [0])
    with pytest.raises(ValueError, match="there is no layer 4"):
        set_activation(net, "relu", [1, 4])
    ce = make(cost="cross-entropy")
    with pytest.raises(ValueError, match="cross-entropy cost needs a sigmoid output"):
        set_activation(ce, "tanh", [3])
    soft = make(acts=("tanh", "relu", "softmax"), cost="log-likelihood")
    assert set_activation(soft, "sigmoid").activation_names == ["sigmoid", "sigmoid", "softmax"]


def test_softmax_networks_stay_valid_through_every_change():
    net = make(acts=("tanh", "relu", "softmax"), cost="log-likelihood")
    snap = snapshot(net)
    x = inputs(net)
    for new in (add_neuron(net, 2, seed=0), remove_neuron(net, 1, 0), set_layer_size(net, 1, 8),
                add_layer(net, 2, seed=0), remove_layer(net, 1), remove_layer(net, 2),
                set_activation(net, "sigmoid")):
        assert new.activation_names[-1] == "softmax" and new.cost_name == "log-likelihood"
        assert_shapes(new)
        np.testing.assert_allclose(new.feedforward(x).sum(axis=1), 1.0)
        assert_trains(new)
    assert_same(net, snap)
