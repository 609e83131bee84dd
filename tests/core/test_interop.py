"""A plain PyTorch MLP in and out of nnviz: export → import agrees exactly, the key mapping, the
layer order, folded normalisation, clear refusals; with torch installed, a torch-trained MLP
imported from safetensors computes what torch computes (float64, to 1e-12) and an exported
network loads into nn.Sequential with the same outputs."""

import json
import struct

import numpy as np
import pytest

from nnviz.core import Network
from nnviz.core.interop import (
    InteropError,
    export_safetensors,
    import_safetensors,
    network_from_tensors,
    tensors_from_network,
)
from nnviz.core.safetensors import encode_safetensors

NETS = {
    "sigmoid": lambda: Network([3, 4, 2], "sigmoid", "quadratic", seed=1),
    "relu-softmax": lambda: Network([6, 5, 5, 3], ["relu", "tanh", "softmax"], "log-likelihood",
                                    seed=2, init="he"),
    "cross-entropy": lambda: Network([2, 3, 1], ["leaky-relu", "sigmoid"], "cross-entropy",
                                     seed=3),
    "one-layer": lambda: Network([4, 2], "linear", "quadratic", seed=4),
}


def write(path, tensors: dict, metadata=None, dtype="float64"):
    path.write_bytes(encode_safetensors(tensors, metadata, dtype))
    return path


def layer(n_out, n_in, seed):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n_out, n_in)), rng.standard_normal(n_out)


@pytest.mark.parametrize("name", list(NETS))
def test_export_then_import_agrees_exactly(name, tmp_path):
    net = NETS[name]()
    path = tmp_path / "net.safetensors"
    export_safetensors(net, path)
    imported = import_safetensors(path)  # no options: the metadata names activations and cost
    again = imported.net
    assert again.sizes == net.sizes and again.activation_names == net.activation_names
    assert again.cost_name == net.cost_name and again.init is None
    for a, b in zip(net.weights + net.biases, again.weights + again.biases, strict=True):
        assert a.tobytes() == b.tobytes()
    x = np.random.default_rng(0).standard_normal((5, net.sizes[0]))
    assert np.array_equal(again.feedforward(x), net.feedforward(x))
    assert "activations from the file's metadata" in imported.notes


def test_keys_are_those_of_nn_sequential():
    net = NETS["relu-softmax"]()
    tensors, metadata = tensors_from_network(net)
    assert list(tensors) == ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"]
    assert tensors["2.weight"] is net.weights[1] and tensors["4.bias"] is net.biases[2]
    assert tensors["0.weight"].shape == (5, 6)  # (out, in), as torch's Linear.weight
    assert metadata == {"format": "nnviz-network", "sizes": "6-5-5-3",
                        "activations": "relu,tanh,softmax", "cost": "log-likelihood"}


def test_float32_export_rounds_as_float32(tmp_path):
    net = NETS["sigmoid"]()
    path = tmp_path / "net.safetensors"
    export_safetensors(net, path, dtype="float32")
    (n,) = struct.unpack("<Q", path.read_bytes()[:8])
    assert json.loads(path.read_bytes()[8:8 + n])["0.weight"]["dtype"] == "F32"
    again = import_safetensors(path).net
    assert np.array_equal(again.weights[0], net.weights[0].astype(np.float32))


def test_layers_are_ordered_by_their_names_numbers_as_numbers(tmp_path):
    # fc1 (3→4), fc2 (4→5), fc10 (5→2): alphabetically fc10 would come second
    (w1, b1), (w2, b2), (w10, b10) = layer(4, 3, 1), layer(5, 4, 2), layer(2, 5, 3)
    path = write(tmp_path / "m.safetensors", {"fc1.bias": b1, "fc1.weight": w1, "fc10.bias": b10,
                                              "fc10.weight": w10, "fc2.bias": b2,
                                              "fc2.weight": w2})
    imported = import_safetensors(path, activations="relu,relu,linear")
    assert imported.layers == ["fc1", "fc2", "fc10"] and imported.net.sizes == [3, 4, 5, 2]
    assert np.array_equal(imported.net.weights[2], w10)
    assert "layers in the order fc1, fc2, fc10" in imported.notes
    seq = {f"{i}.weight": w for i, w in ((0, w1), (2, w2), (10, w10))}
    assert network_from_tensors(seq, activations="tanh").layers == ["0", "2", "10"]


def test_a_chain_that_does_not_fit_names_both_layers_and_layers_gives_the_order():
    (wi, bi), (wh, bh), (wo, bo) = layer(4, 3, 1), layer(5, 4, 2), layer(2, 5, 3)
    tensors = {"input.weight": wi, "input.bias": bi, "hidden.weight": wh, "hidden.bias": bh,
               "output.weight": wo, "output.bias": bo}
    with pytest.raises(InteropError, match=r"layer input takes 3 inputs but layer hidden before "
                       r"it gives 5 outputs .*give another with --layers"):
        network_from_tensors(tensors, activations="sigmoid")
    net = network_from_tensors(tensors, activations="sigmoid",
                               layers=["input", "hidden", "output"]).net
    assert net.sizes == [3, 4, 5, 2] and np.array_equal(net.biases[1], bh)
    with pytest.raises(InteropError, match="does not name each of the file's layers once"):
        network_from_tensors(tensors, activations="sigmoid", layers=["input", "output"])


def test_a_missing_bias_is_zero_and_said():
    w1, b1 = layer(3, 2, 1)
    w2, _ = layer(1, 3, 2)
    imported = network_from_tensors({"0.weight": w1, "0.bias": b1, "2.weight": w2},
                                    activations="tanh,sigmoid")
    assert imported.net.biases[1].tolist() == [0.0]
    assert "layer 2 has no bias: b^2 = 0" in imported.notes
    single = network_from_tensors({"weight": w1}, activations="linear")  # one nn.Linear
    assert single.net.sizes == [2, 3] and not single.net.biases[0].any()


def test_activations_from_the_option_else_the_metadata_else_refused():
    tensors, metadata = tensors_from_network(NETS["sigmoid"]())
    with pytest.raises(InteropError, match="says nothing about the activations.*--activations"):
        network_from_tensors(tensors)
    with pytest.raises(InteropError, match="says nothing about the activations"):
        network_from_tensors(tensors, {"format": "pt"})  # another tool's metadata
    assert network_from_tensors(tensors, metadata).net.activation_names == ["sigmoid"] * 2
    over = network_from_tensors(tensors, metadata, activations="ReLU,Identity")
    assert over.net.activation_names == ["relu", "linear"] and over.net.cost_name == "quadratic"
    with pytest.raises(InteropError, match="unknown activation 'gelu'"):
        network_from_tensors(tensors, activations="gelu")
    with pytest.raises(InteropError, match="3 activations for 2 layers"):
        network_from_tensors(tensors, activations="relu,relu,relu")
    with pytest.raises(InteropError, match="the file's metadata: unknown activation 'swish'"):
        network_from_tensors(tensors, {"activations": "swish,sigmoid"})


def test_the_cost_follows_the_output_unless_given():
    tensors, _ = tensors_from_network(NETS["relu-softmax"]())
    soft = network_from_tensors(tensors, activations="relu,relu,softmax")
    assert soft.net.cost_name == "log-likelihood"
    assert "cost log-likelihood, for a softmax output (give another with --cost)" in soft.notes
    plain = network_from_tensors(tensors, activations="relu,relu,sigmoid")
    assert plain.net.cost_name == "quadratic"
    assert network_from_tensors(tensors, activations="relu,relu,sigmoid",
                                cost="cross-entropy").net.cost_name == "cross-entropy"
    with pytest.raises(InteropError, match="log-likelihood cost needs a softmax output.*--cost"):
        network_from_tensors(tensors, activations="relu", cost="log-likelihood")


def test_normalisation_is_folded_into_the_first_layer():
    net = NETS["relu-softmax"]()
    tensors, metadata = tensors_from_network(net)
    mean, std = 0.1307, 0.3081
    imported = network_from_tensors(tensors, metadata, normalise=(mean, std))
    x = np.random.default_rng(5).uniform(0, 1, (7, 6))
    assert np.allclose(imported.net.feedforward(x), net.feedforward((x - mean) / std),
                       rtol=0, atol=1e-13)
    assert np.array_equal(imported.net.weights[1], net.weights[1])  # only layer 1 changes
    assert "input normalisation (x − 0.1307)/0.3081 folded into layer 1" in imported.notes
    for bad in ((0.0, 0.0), (0.0, -1.0), (float("nan"), 1.0)):
        with pytest.raises(InteropError, match="std > 0"):
            network_from_tensors(tensors, metadata, normalise=bad)


@pytest.mark.parametrize("tensors,words", [
    ({"0.running_mean": np.zeros(3)}, "'0.running_mean' is not the weight or bias of a Linear"),
    ({"0.weight": np.zeros((2, 2, 2))}, "'0.weight' has shape (2, 2, 2)"),
    ({"0.weight": np.zeros((2, 2)), "0.bias": np.zeros((2, 1))}, "'0.bias' has shape (2, 1)"),
    ({"0.weight": np.zeros((2, 2)), "0.bias": np.zeros(3)}, "bias has shape (3,)"),
    ({"0.bias": np.zeros(2)}, "'0.bias' has no weight beside it"),
    ({}, "holds no tensors"),
    ({"0.weight": np.zeros((5000, 2))}, "nnviz takes up to 64 layers of 1 to 4096 neurons"),
    ({"0.weight": np.zeros((0, 2))}, "layer sizes 2-0"),
])
def test_what_is_not_a_plain_mlp_is_refused(tensors, words):
    with pytest.raises(InteropError) as exc:
        network_from_tensors(tensors, activations="sigmoid")
    assert words in str(exc.value) and "\n" not in str(exc.value)


def test_import_errors_name_the_file(tmp_path):
    path = write(tmp_path / "m.safetensors", {"0.weight": np.ones((2, 2))})
    with pytest.raises(InteropError, match=f"^{path}: says nothing about the activations"):
        import_safetensors(path)


# -- through PyTorch (optional) -----------------------------------------------------------------

def _torch_trained_mlp(torch):
    """784-16-10-style MLP, small: Linear 6→8, Tanh, Linear 8→5, ReLU, Linear 5→3, trained on
    logits with CrossEntropyLoss for a few steps, as a course would train one."""
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(6, 8), torch.nn.Tanh(), torch.nn.Linear(8, 5),
                                torch.nn.ReLU(), torch.nn.Linear(5, 3))
    x, y = torch.randn(64, 6), torch.randint(0, 3, (64,))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(20):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    return model


def _save_like_torch(torch, model, path) -> None:
    """The file safetensors.torch.save_file writes, with it if installed, else by hand (the
    reference implementation stores tensors alphabetically: 0, 2, 4 here)."""
    try:
        from safetensors.torch import save_file
    except ImportError:
        state = {k: v.detach().numpy() for k, v in sorted(model.state_dict().items())}
        assert all(v.dtype == np.float32 for v in state.values())
        path.write_bytes(encode_safetensors(state, dtype="float32"))
    else:
        save_file(model.state_dict(), str(path))


def test_a_torch_mlp_imports_and_computes_what_torch_computes(tmp_path):
    torch = pytest.importorskip("torch")
    model = _torch_trained_mlp(torch)
    path = tmp_path / "model.safetensors"
    _save_like_torch(torch, model, path)
    imported = import_safetensors(path, activations="tanh,relu,softmax")
    net = imported.net
    assert net.sizes == [6, 8, 5, 3] and net.cost_name == "log-likelihood"
    x = np.random.default_rng(1).standard_normal((50, 6))
    with torch.no_grad():
        expected = torch.softmax(model.double()(torch.from_numpy(x)), dim=1).numpy()
    assert np.max(np.abs(net.feedforward(x) - expected)) < 1e-12
    # with a normalisation folded in: raw inputs give what torch gives the normalised ones
    folded = import_safetensors(path, activations="tanh,relu,softmax", normalise=(0.5, 2.0))
    with torch.no_grad():
        expected = torch.softmax(model(torch.from_numpy((x - 0.5) / 2.0)), dim=1).numpy()
    assert np.max(np.abs(folded.net.feedforward(x) - expected)) < 1e-12


def test_an_exported_network_loads_into_nn_sequential(tmp_path):
    torch = pytest.importorskip("torch")
    net = Network([6, 8, 5, 3], ["tanh", "relu", "softmax"], "log-likelihood", seed=7)
    path = tmp_path / "net.safetensors"
    export_safetensors(net, path)
    # read with torch alone (not nnviz's reader): JSON header, then raw float64 bytes
    data = path.read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    metadata = header.pop("__metadata__")
    buffer = bytearray(data[8 + n:])
    state = {name: torch.frombuffer(buffer[slice(*info["data_offsets"])], dtype=torch.float64)
             .reshape(info["shape"]) for name, info in header.items()}
    model = torch.nn.Sequential(torch.nn.Linear(6, 8), torch.nn.Tanh(), torch.nn.Linear(8, 5),
                                torch.nn.ReLU(), torch.nn.Linear(5, 3), torch.nn.Softmax(dim=1))
    model.double().load_state_dict(state)  # strict: exactly the keys nn.Sequential has
    assert metadata["activations"] == "tanh,relu,softmax"
    x = np.random.default_rng(2).standard_normal((50, 6))
    with torch.no_grad():
        expected = model(torch.from_numpy(x)).numpy()
    assert np.max(np.abs(net.feedforward(x) - expected)) < 1e-12
