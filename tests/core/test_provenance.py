"""Provenance in network files: written with the network, read back only when it keeps the rules
(plain JSON scalars in small objects, size limits), never a reason to refuse the network, and
marked "edited after training" once the weights are no longer the trained ones."""

import json

import pytest

from nnviz.core import Network, provenance
from nnviz.core.netfile import (
    load_described,
    load_network,
    load_with_provenance,
    network_info,
    save_network,
)
from tests.core.test_netfile import header_bytes, write_npz


def _trained(net: Network) -> dict:
    return provenance.from_training(
        "nnviz train", net,
        {"eta": 0.1, "batch_size": 64, "epochs_asked": 3, "epochs_completed": 3, "seed": 7,
         "early_stop": None},
        {"source": "MNIST", "train_images": 1000, "test_images": 300},
        {"test_accuracy": 0.9123, "validation_accuracy": None})


def test_provenance_round_trips_and_describes_the_trained_weights(tmp_path):
    net = Network([4, 3, 2], seed=0)
    prov = _trained(net)
    assert "early_stop" not in prov["training"]  # None values are left out
    assert prov["weights_sha256"] == provenance.weights_digest(net)
    assert prov["nnviz_version"] and prov["date"].endswith("Z")
    path = tmp_path / "net.npz"
    save_network(net, path, provenance=prov)
    loaded, description, read = load_with_provenance(path)
    assert read == prov and description == {}
    assert load_described(path)[1] == {}
    info = network_info(path)
    assert info["provenance"] == prov and info["edited_after_training"] is False
    text = "\n".join(provenance.describe(read, loaded))
    assert "made by nnviz train" in text and "test_accuracy 91.23%" in text
    assert "seed 7" in text and "as trained" in text


def test_changed_weights_are_saved_as_edited_after_training(tmp_path):
    net = Network([4, 3, 2], seed=0)
    trained = _trained(net)
    assert provenance.for_saving([trained], net) is trained
    original = net.weights[0][0, 0]
    net.weights[0][0, 0] += 0.5
    kept = provenance.for_saving([trained], net)
    assert kept["edited_after_training"] is True and kept["training"] == trained["training"]
    path = tmp_path / "edited.npz"
    save_network(net, path, provenance=kept)
    assert network_info(path)["edited_after_training"] is True
    assert "edited after training" in "\n".join(
        provenance.describe(load_with_provenance(path)[2], load_network(path)))
    net.weights[0][0, 0] = original  # back to the trained weights (an undo)
    assert provenance.for_saving([trained], net) is trained
    assert provenance.for_saving([], net) is None


def test_the_record_matching_the_weights_is_the_one_saved():
    net = Network([2, 2], seed=0)
    first = _trained(net)
    net.weights[0][:] = 0.0
    second = _trained(net)
    assert provenance.for_saving([first, second], net) is second
    net.weights[0][:] = Network([2, 2], seed=0).weights[0]
    assert provenance.for_saving([first, second], net) is first


def test_a_file_without_provenance_says_so(tmp_path):
    path = tmp_path / "plain.npz"
    save_network(Network([3, 2], seed=0), path)
    info = network_info(path)
    assert info["provenance"] is None and info["edited_after_training"] is None
    assert "provenance_problem" not in info
    assert provenance.describe(None) == [
        "provenance: none (not saved by a training run: a preset, a network made by hand or "
        "an imported one)"]


@pytest.mark.parametrize("bad,problem", [
    ([1, 2], "not a JSON object"),
    ("trained", "not a JSON object"),
    ({"training": {"eta": {"deeper": 1}}}, "provenance.training.eta"),
    ({"layers": [784, 30, 10]}, "provenance.layers"),
    ({"note": "x" * 501}, "provenance.note"),
    ({"note": "\x1b[31mred"}, "provenance.note"),
    ({"eta": 1e300}, "provenance.eta"),
    ({f"k{i}": i for i in range(65)}, "65 entries"),
    ({f"s{i}": {f"k{j}": "v" * 400 for j in range(60)} for i in range(2)}, "too large"),
    ({"\x07": 1}, "key"),
])
def test_an_unreadable_provenance_is_ignored_and_the_network_still_loads(bad, problem, tmp_path):
    path = tmp_path / "net.npz"
    write_npz(path, header_bytes(provenance=bad))
    net, _description, read = load_with_provenance(path)
    assert read is None and net.sizes == [4, 3, 2]
    info = network_info(path)
    assert info["provenance"] is None and problem in info["provenance_problem"]
    assert provenance.describe(None, problem=info["provenance_problem"])[0].startswith(
        "provenance: unreadable, ignored (")
    with pytest.raises(ValueError, match="provenance"):
        save_network(net, tmp_path / "out.npz", provenance=bad)


def test_nan_in_a_provenance_is_unreadable(tmp_path):
    path = tmp_path / "net.npz"
    text = header_bytes().decode()[:-1] + ', "provenance": {"eta": NaN}}'
    json.loads(text)  # Python's JSON reader accepts NaN: the provenance check must not
    write_npz(path, text.encode())
    assert network_info(path)["provenance"] is None


def test_from_training_fits_long_or_unprintable_text():
    net = Network([2, 1], seed=0)
    prov = provenance.from_training("nnviz train", net, {}, {"source": "d\n" + "x" * 900}, {})
    source = prov["data"]["source"]
    assert len(source) == provenance.MAX_TEXT and source.isprintable()
    assert provenance.checked(prov)["network"]["layers"] == "2-1"


def test_numpy_numbers_are_kept_and_non_finite_ones_left_out():
    import numpy as np

    prov = provenance.from_training("nnviz train", Network([2, 1], seed=0), {"seed": np.int64(3)},
                                    {}, {"test_cost": np.float32("nan"),
                                         "test_accuracy": np.float32(0.5)})
    assert prov["training"]["seed"] == 3 and type(prov["training"]["seed"]) is int
    assert prov["result"] == {"test_accuracy": 0.5}
