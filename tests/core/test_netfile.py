"""Network files: save is atomic, load round-trips exactly and refuses every bad file with a
NetworkFileError whose message names the file and the problem (never another exception type,
never unpickling, never a large allocation driven by the file's own claims)."""

import io
import json
import os
import tracemalloc
import zipfile

import numpy as np
import pytest

from nnviz.core import Network, netfile, userfiles
from nnviz.core.netfile import (
    FORMAT,
    MAX_PARAMETERS,
    VERSION,
    NetworkFileError,
    load_network,
    network_info,
    save_network,
)

ROUND_TRIP_NETS = {
    "sigmoid-quadratic": lambda: Network([2, 3, 1], "sigmoid", "quadratic", seed=1),
    "relu-softmax-loglik": lambda: Network([4, 8, 3], ["relu", "softmax"], "log-likelihood",
                                           seed=2, init="he"),
    "tanh-deep": lambda: Network([3, 5, 5, 2], "tanh", "quadratic", seed=3, init="scaled"),
    "one-layer": lambda: Network([5, 2], "sigmoid", "cross-entropy", seed=4),
    "mixed": lambda: Network([3, 4, 4, 4, 2], ["leaky-relu", "linear", "step", "sigmoid"],
                             "quadratic", seed=5),
    "784-30-10": lambda: Network([784, 30, 10], "sigmoid", "quadratic", seed=6),
}


def assert_same_network(a: Network, b: Network) -> None:
    assert a.sizes == b.sizes
    assert a.activation_names == b.activation_names
    assert a.cost_name == b.cost_name and a.init == b.init
    for x, y in zip(a.weights + a.biases, b.weights + b.biases, strict=True):
        assert y.dtype == np.float64 and x.shape == y.shape
        assert x.tobytes() == y.tobytes()  # bit-identical, -0.0 and all


def header_bytes(**changes) -> bytes:
    header = {"format": FORMAT, "version": VERSION, "sizes": [4, 3, 2],
              "activations": ["sigmoid", "sigmoid"], "cost": "quadratic", "init": "standard"}
    header.update(changes)
    for key in [k for k, v in header.items() if v is ...]:
        del header[key]
    return json.dumps(header).encode()


def good_arrays(sizes=(4, 3, 2)) -> dict:
    rng = np.random.default_rng(0)
    arrays = {}
    for l in range(1, len(sizes)):
        arrays[f"w{l}"] = rng.standard_normal((sizes[l], sizes[l - 1]))
        arrays[f"b{l}"] = rng.standard_normal(sizes[l])
    return arrays


def write_npz(path, header=None, drop=(), **arrays) -> None:
    """An .npz like save_network's, with the header (bytes or array) and arrays replaced."""
    if header is None:
        header = header_bytes()
    if isinstance(header, bytes):
        header = np.frombuffer(header, dtype=np.uint8)
    contents = {"header": header, **good_arrays(), **arrays}
    for key in drop:
        del contents[key]
    np.savez(path, **contents)  # np.savez pickles object arrays: that is what some tests want


def npy_header(descr, shape, fortran=False) -> bytes:
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": descr, "fortran_order": fortran,
                                               "shape": shape})
    return buf.getvalue()


def npy(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=False)
    return buf.getvalue()


def write_zip(path, entries: dict) -> None:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)


def good_entries(header=None) -> dict:
    entries = {"header.npy": npy(np.frombuffer(header or header_bytes(), dtype=np.uint8))}
    entries.update({f"{k}.npy": npy(v) for k, v in good_arrays().items()})
    return entries


def refused(path, *words) -> str:
    with pytest.raises(NetworkFileError) as exc:
        load_network(path)
    message = str(exc.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    for word in words:
        assert word in message, message
    return message


# -- round trips ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(ROUND_TRIP_NETS))
def test_save_load_round_trips_exactly(name, tmp_path):
    net = ROUND_TRIP_NETS[name]()
    net.weights[0][0, 0] = -0.0
    path = tmp_path / "net.npz"
    save_network(net, path)
    loaded = load_network(path)
    assert_same_network(net, loaded)
    x = np.random.default_rng(0).standard_normal(net.sizes[0])
    assert np.array_equal(net.feedforward(x), loaded.feedforward(x))
    assert sorted(os.listdir(tmp_path)) == ["net.npz"]


def test_network_info_describes_the_file(tmp_path):
    path = tmp_path / "net.npz"
    save_network(Network([784, 30, 10], "sigmoid", "quadratic", seed=0), path)
    assert network_info(path) == {
        "path": str(path), "format": "nnviz-network", "version": 1, "sizes": [784, 30, 10],
        "activations": ["sigmoid", "sigmoid"], "cost": "quadratic", "init": "standard",
        "n_parameters": 23860, "provenance": None, "edited_after_training": None}
    path.write_bytes(b"not a network")
    with pytest.raises(NetworkFileError, match="damaged or not an nnviz network file"):
        network_info(path)


def test_other_float_dtypes_layouts_and_compression_load_as_float64(tmp_path):
    arrays = good_arrays()
    variants = {
        "float32": {k: v.astype(np.float32) for k, v in arrays.items()},
        "float16": {k: v.astype(np.float16) for k, v in arrays.items()},
        "big-endian": {k: v.astype(">f8") for k, v in arrays.items()},
        "fortran": {k: np.asfortranarray(v) for k, v in arrays.items()},
    }
    for name, changed in variants.items():
        path = tmp_path / f"{name}.npz"
        write_npz(path, **changed)
        net = load_network(path)
        for l in (1, 2):
            for key, got in ((f"w{l}", net.weights[l - 1]), (f"b{l}", net.biases[l - 1])):
                assert got.dtype == np.float64 and got.flags.c_contiguous
                assert np.array_equal(got, changed[key].astype(np.float64)), name
    path = tmp_path / "compressed.npz"
    np.savez_compressed(path, header=np.frombuffer(header_bytes(), np.uint8), **arrays)
    net = load_network(path)
    assert np.array_equal(net.weights[1], arrays["w2"])


def test_extra_header_keys_are_ignored(tmp_path):
    path = tmp_path / "net.npz"
    write_npz(path, header_bytes(comment="trained on Tuesday", history=[1, 2]))
    assert load_network(path).sizes == [4, 3, 2]


# -- atomic save ---------------------------------------------------------------------------------

@pytest.fixture
def previous(tmp_path):
    path = tmp_path / "net.npz"
    save_network(Network([3, 2], seed=0), path)
    return path, path.read_bytes()


def _assert_untouched(path, before):
    assert path.read_bytes() == before
    assert os.listdir(path.parent) == [path.name]  # no temporary file left behind
    load_network(path)


def test_a_write_failing_midway_leaves_the_previous_file(previous, monkeypatch):
    path, before = previous

    def savez(f, **arrays):
        f.write(b"PK\x03\x04 half a network")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(netfile.np, "savez", savez)
    with pytest.raises(OSError, match="No space left"):
        save_network(Network([3, 4, 2], seed=1), path)
    _assert_untouched(path, before)


def test_a_failing_rename_leaves_the_previous_file(previous, monkeypatch):
    path, before = previous

    def replace(src, dst):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(userfiles.os, "replace", replace)
    with pytest.raises(OSError, match="cross-device"):
        save_network(Network([3, 4, 2], seed=1), path)
    _assert_untouched(path, before)


def test_an_interrupt_midway_leaves_the_previous_file(previous, monkeypatch):
    path, before = previous

    def fsync(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(userfiles.os, "fsync", fsync)
    with pytest.raises(KeyboardInterrupt):
        save_network(Network([3, 4, 2], seed=1), path)
    _assert_untouched(path, before)


def test_saving_into_a_missing_folder_is_an_os_error_and_leaves_nothing(tmp_path):
    with pytest.raises(OSError):
        save_network(Network([3, 2], seed=0), tmp_path / "nope" / "net.npz")
    assert os.listdir(tmp_path) == []


# -- no code from the file ever runs ---------------------------------------------------------------

class Payload:
    """Unpickling this runs code that creates ``marker``."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return exec, (f"with open({self.marker!r}, 'w') as f: f.write('ran')",)


@pytest.mark.parametrize("key", ["w1", "b2", "header"])
def test_pickled_arrays_are_refused_without_running_them(key, tmp_path):
    marker = tmp_path / "marker"
    path = tmp_path / "evil.npz"
    write_npz(path, **{key: np.array([Payload(marker)], dtype=object)})
    # The payload is live: numpy with allow_pickle=True would run it.
    with np.load(path, allow_pickle=True) as archive:
        archive[key]
    assert marker.exists()
    marker.unlink()

    refused(path, f"{key} holds Python objects (pickled data), which nnviz never loads")
    assert not marker.exists()


def test_structured_arrays_with_object_fields_are_refused(tmp_path):
    path = tmp_path / "evil.npz"
    arr = np.zeros(3, dtype=[("x", "f8"), ("y", "O")])
    write_npz(path, w1=arr)
    refused(path, "w1 holds Python objects")


# -- bad headers -------------------------------------------------------------------------------

BAD_HEADERS = [
    (header_bytes(version=2), ["made by a newer nnviz (version 2); this one reads version 1"]),
    (header_bytes(version=0), ["unknown format version 0"]),
    (header_bytes(version="1"), ["unknown format version '1'"]),
    (header_bytes(version=True), ["unknown format version True"]),
    (header_bytes(version=1.0), ["unknown format version 1.0"]),
    (header_bytes(version=...), ["unknown format version None"]),
    (header_bytes(format="keras-model"), ["not an nnviz network file", "format tag 'keras-model'"]),
    (header_bytes(format=...), ["not an nnviz network file", "format tag None"]),
    (b"{not json", ["header is not valid JSON"]),
    (b"", ["header is not valid JSON"]),
    (b"\xff\xfe{}", ["header is not UTF-8 text"]),
    (b"[1, 2, 3]", ["header is not a JSON object"]),
    (b'"nnviz-network"', ["header is not a JSON object"]),
    (b"[" * 100_000, ["header nested too deeply"]),
    (b'{"format": "nnviz-network", "version": ' + b"9" * 5000 + b"}", ["not valid JSON"]),
    (header_bytes(sizes=[4, 0, 2]), ["bad layer sizes [4, 0, 2]", "between 1 and 4096"]),
    (header_bytes(sizes=[5000, 2]), ["bad layer sizes [5000, 2]"]),
    (header_bytes(sizes=[4]), ["bad layer sizes [4]", "2 to 64"]),
    (header_bytes(sizes=[2] * 65), ["bad layer sizes"]),
    (header_bytes(sizes=[4, 2.5, 2]), ["bad layer sizes"]),
    (header_bytes(sizes=[4, "3", 2]), ["bad layer sizes"]),
    (header_bytes(sizes=[True, 3, 2]), ["bad layer sizes"]),
    (header_bytes(sizes="4-3-2"), ["bad layer sizes '4-3-2'"]),
    (header_bytes(sizes=...), ["bad layer sizes None"]),
    (header_bytes(sizes=list(range(1, 10_000))), ["bad layer sizes", "…"]),
    (header_bytes(sizes=[4096] * 64), ["parameters; nnviz loads at most 50,000,000"]),
    (header_bytes(activations=["sigmoid"]), ["bad activations", "list of 2 names"]),
    (header_bytes(activations="sigmoid"), ["bad activations"]),
    (header_bytes(activations=["swish", "sigmoid"]), ["unknown activation 'swish'"]),
    (header_bytes(activations=[1, "sigmoid"]), ["unknown activation 1"]),
    (header_bytes(cost="hinge"), ["unknown cost 'hinge'"]),
    (header_bytes(cost=None), ["unknown cost None"]),
    (header_bytes(init="xavier"), ["unknown initialisation 'xavier'"]),
    (header_bytes(init=3), ["unknown initialisation 3"]),
    (header_bytes(activations=["softmax", "softmax"], cost="log-likelihood"),
     ["softmax is only allowed on the output layer, not layer 1"]),
    (header_bytes(cost="log-likelihood"), ["log-likelihood cost needs a softmax output layer"]),
    (header_bytes(activations=["relu", "relu"], cost="cross-entropy"),
     ["cross-entropy cost needs a sigmoid output layer"]),
]


@pytest.mark.parametrize("init", [..., None])
def test_a_file_without_an_initialisation_loads_as_imported(init, tmp_path):
    path = tmp_path / "net.npz"
    write_npz(path, header_bytes(init=init))
    net = load_network(path)
    assert net.init is None and net.sizes == [4, 3, 2]
    assert np.array_equal(net.weights[0], good_arrays()["w1"])
    assert network_info(path)["init"] is None
    again = tmp_path / "again.npz"
    save_network(net, again)  # written without the key, not with a made-up one
    with zipfile.ZipFile(again) as z, z.open("header.npy") as f:
        assert "init" not in json.loads(np.load(f).tobytes())
    assert_same_network(net, load_network(again))


def test_an_imported_network_draws_fresh_weights_as_scaled():
    from nnviz.core.network import IMPORTED_DRAW, initial_layer

    net = Network([4, 3, 2], "sigmoid", "quadratic", seed=5, init=None)
    assert net.init is None and IMPORTED_DRAW == "scaled"
    assert np.array_equal(net.weights[0],
                          Network([4, 3, 2], seed=5, init="scaled").weights[0])
    w, _b = initial_layer(None, 3, 4, np.random.default_rng(1))
    assert np.array_equal(w, initial_layer("scaled", 3, 4, np.random.default_rng(1))[0])


@pytest.mark.parametrize("header,words", BAD_HEADERS, ids=range(len(BAD_HEADERS)))
def test_bad_headers_are_refused_by_name(header, words, tmp_path):
    path = tmp_path / "net.npz"
    write_npz(path, header)
    refused(path, *words)


def test_header_array_must_be_small_1d_uint8(tmp_path):
    path = tmp_path / "net.npz"
    text = header_bytes()
    write_npz(path, np.frombuffer(text, np.uint8).astype(np.int16))
    refused(path, "header is a int16 array", "expected 1-D uint8")
    write_npz(path, np.frombuffer(text, np.uint8).reshape(1, -1))
    refused(path, "expected 1-D uint8")
    write_npz(path, np.full(2_000_000, ord(" "), np.uint8))
    refused(path, "header of 2,000,000 bytes is too large")
    write_npz(path, drop=["header"])
    refused(path, "not an nnviz network file (no header)")


# -- bad arrays --------------------------------------------------------------------------------

def test_bad_arrays_are_refused_by_name(tmp_path):
    path = tmp_path / "net.npz"
    arrays = good_arrays()
    cases = [
        ({"w1": arrays["w1"].T}, [], "w1 has shape (4, 3), expected (3, 4)"),
        ({"b2": arrays["b2"][:, None]}, [], "b2 has shape (2, 1), expected (2,)"),
        ({"b1": np.float64(1.0)}, [], "b1 has shape (), expected (3,)"),
        ({"w2": np.where(np.eye(2, 3) > 0, np.nan, arrays["w2"])}, [],
         "w2 contains NaN or infinite values"),
        ({"b1": np.array([0.0, np.inf, 1.0])}, [], "b1 contains NaN or infinite values"),
        ({"b1": np.array([0.0, 1.0, -np.inf], np.float16)}, [], "b1 contains NaN or infinite"),
        ({"w1": np.ones((3, 4), np.int64)}, [], "w1 has dtype int64, expected floating point"),
        ({"w1": np.ones((3, 4), complex)}, [], "w1 has dtype complex128, expected floating"),
        ({"w1": np.ones((3, 4), bool)}, [], "w1 has dtype bool, expected floating point"),
        ({"b1": np.zeros(3, [("x", "f8")])}, [], "expected floating point"),
        ({}, ["b2"], "b2 is missing"),
        ({}, ["w1"], "w1 is missing"),
        ({"extra": np.zeros(1)}, [], "unexpected entry 'extra.npy'"),
        ({"w3": np.zeros((1, 2))}, [], "unexpected entry 'w3.npy'"),
    ]
    for changes, drop, words in cases:
        write_npz(path, drop=drop, **changes)
        refused(path, words)


def test_entries_are_checked_before_their_data_is_read(tmp_path):
    """A declared huge shape is refused from the .npy header alone: nothing big is allocated."""
    path = tmp_path / "net.npz"
    cases = [
        ({"w1.npy": npy_header("<f8", (100_000, 100_000))}, "w1 has shape (100000, 100000)"),
        ({"w1.npy": npy_header("<f8", (-1, 4))}, "w1 has shape (-1, 4)"),
        ({"header.npy": npy_header("|u1", (10 ** 12,))}, "too large"),
        ({"header.npy": npy_header("|u1", (-5,))}, "header has shape (-5,)"),
        ({"b1.npy": npy_header("|O", (3,))}, "b1 holds Python objects"),
        ({"b1.npy": npy_header("<f8", (3,)) + b"\0" * 8}, "b1 is truncated"),
        ({"b1.npy": npy(np.zeros(3)) + b"\0"}, "b1 has extra bytes after its data"),
        ({"b1.npy": b"\x93NUMPY\x03\x00" + npy(np.zeros(3))[8:]},
         ".npy format version 3.0"),
        ({"b1.npy": b"PK\x03\x04 not an array"}, "damaged or not an nnviz network file"),
    ]
    tracemalloc.start()
    try:
        for entries, words in cases:
            write_zip(path, {**good_entries(), **entries})
            tracemalloc.reset_peak()
            refused(path, words)
            assert tracemalloc.get_traced_memory()[1] < 5_000_000, words
        # 64 layers of 4096 neurons would be a billion random weights; the header alone decides.
        write_zip(path, {"header.npy": npy(np.frombuffer(header_bytes(sizes=[4096] * 64),
                                                         np.uint8))})
        tracemalloc.reset_peak()
        refused(path, "1,057,222,656 parameters")
        assert tracemalloc.get_traced_memory()[1] < 5_000_000
    finally:
        tracemalloc.stop()
    assert MAX_PARAMETERS == 50_000_000


def test_duplicate_entries_are_refused(tmp_path):
    path = tmp_path / "net.npz"
    with pytest.warns(UserWarning, match="Duplicate name"):
        with zipfile.ZipFile(path, "w") as z:
            for name, data in good_entries().items():
                z.writestr(name, data)
            z.writestr("w1.npy", npy(np.zeros((3, 4))))
    refused(path, "entry 'w1.npy' appears twice")


# -- damaged files and files that are not networks ------------------------------------------------

def test_files_that_are_not_networks(tmp_path):
    cases = {
        "text.npz": b"hello, this is not a network\n",
        "empty.npz": b"",
        "array.npy": npy(np.zeros(3)),
        "zeros.npz": bytes(10_000),
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        refused(path, "damaged or not an nnviz network file (File is not a zip file)")
    refused(tmp_path / "missing.npz", "no such file")
    refused(tmp_path, "is a folder")


def test_encrypted_entries_are_refused(tmp_path):
    path = tmp_path / "net.npz"
    write_zip(path, good_entries())
    data = bytearray(path.read_bytes())
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 1  # general purpose flag bit 0 of header.npy: encrypted
    path.write_bytes(bytes(data))
    refused(path, "damaged or not an nnviz network file", "encrypted")


def _load_mutation(path, data: bytes, original: Network) -> str:
    path.write_bytes(data)
    try:
        loaded = load_network(path)
    except NetworkFileError as exc:
        message = str(exc)
        assert message.startswith(f"{path}: ") and "\n" not in message
        return "refused"
    assert_same_network(original, loaded)
    return "equal"


def test_fuzz_truncated_and_corrupted_files_load_equal_or_are_refused(tmp_path):
    """Every truncation and single-byte corruption of a valid file either still loads the very
    same network (a byte the reader never uses) or raises NetworkFileError: nothing else."""
    net = Network([6, 5, 3], ["tanh", "softmax"], "log-likelihood", seed=7, init="scaled")
    good_path, path = tmp_path / "good.npz", tmp_path / "mutated.npz"
    save_network(net, good_path)
    good = good_path.read_bytes()
    rng = np.random.default_rng(2024)
    outcomes = {"truncated": {"equal": 0, "refused": 0}, "flipped": {"equal": 0, "refused": 0}}
    for length in sorted(rng.choice(len(good), 20, replace=False)):
        outcomes["truncated"][_load_mutation(path, good[:length], net)] += 1
    for pos in rng.choice(len(good), 50, replace=False):
        data = bytearray(good)
        data[pos] ^= int(rng.integers(1, 256))
        outcomes["flipped"][_load_mutation(path, bytes(data), net)] += 1
    assert outcomes["truncated"] == {"equal": 0, "refused": 20}
    assert sum(outcomes["flipped"].values()) == 50 and outcomes["flipped"]["refused"] > 25


def test_every_single_byte_corruption_of_a_small_file(tmp_path):
    net = Network([2, 2, 1], "sigmoid", "quadratic", seed=0)
    good_path, path = tmp_path / "good.npz", tmp_path / "mutated.npz"
    save_network(net, good_path)
    good = good_path.read_bytes()
    results = []
    for pos in range(len(good)):
        data = bytearray(good)
        data[pos] ^= 0xFF
        results.append(_load_mutation(path, bytes(data), net))
    for length in range(len(good)):
        assert _load_mutation(path, good[:length], net) == "refused"
    assert results.count("refused") > len(good) // 2


def test_a_saved_file_gets_the_usual_permissions(tmp_path):
    import os
    import stat

    from nnviz.core import Network
    from nnviz.core.netfile import save_network

    path = tmp_path / "n.npz"
    mask = os.umask(0o022)
    try:
        save_network(Network([2, 1], seed=0), path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
        path.chmod(0o600)  # replacing a file keeps its mode
        save_network(Network([2, 1], seed=1), path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        os.umask(mask)


# -- the description: names, example and target, as a preset has them --------------------------

def test_the_description_round_trips(tmp_path):
    path = tmp_path / "xor.npz"
    net = Network([2, 2, 1], seed=0)
    save_network(net, path, input_labels=("x1", "x2"), output_labels=("x1 XOR x2",),
                 example=(1, 0), target=None)
    loaded, description = netfile.load_described(path)
    assert_same_network(loaded, net)
    assert description == {"input_labels": ("x1", "x2"), "output_labels": ("x1 XOR x2",),
                           "example": [1.0, 0.0]}
    assert load_network(path).sizes == [2, 2, 1]  # the network alone, as before
    save_network(net, path)
    assert netfile.load_described(path)[1] == {}


def test_a_description_that_does_not_fit_is_refused_on_save():
    with pytest.raises(ValueError, match="output_labels does not fit a 2-1 network"):
        save_network(Network([2, 1], seed=0), "unused.npz", output_labels=("a", "b"))
    with pytest.raises(ValueError, match="unknown description 'colour'"):
        save_network(Network([2, 1], seed=0), "unused.npz", colour="red")


@pytest.mark.parametrize("extra", [
    {"output_labels": ["a", "b", "c"]},  # three names for two outputs
    {"output_labels": "a"},
    {"output_labels": [3]},
    {"input_labels": ["x" * 201, "y", "z", "w"]},
    {"example": [1, 2, "3", 4]},
    {"example": [1, 2, 3, True]},
    {"target": [1e400, 0]},
    {"target": [10 ** 400, 0]},
    {"target": None},
])
def test_a_description_that_does_not_fit_is_left_out_on_load(extra, tmp_path):
    path = tmp_path / "net.npz"
    write_npz(path, header_bytes(**extra))
    net, description = netfile.load_described(path)
    assert net.sizes == [4, 3, 2] and description == {}


def test_loading_makes_no_second_copy_of_the_parameters(tmp_path):
    """A big network's arrays are read straight into the network's float64 arrays: the load's
    peak allocation stays near the parameters' own size (it was over 3x: the file's bytes, a
    float64 copy of them and the network's own copy)."""
    net = Network([600, 1000, 1000, 10], seed=1)
    path = tmp_path / "big.npz"
    save_network(net, path)
    size = sum(w.nbytes + b.nbytes for w, b in zip(net.weights, net.biases))
    tracemalloc.start()
    try:
        loaded = load_network(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1.3 * size, (peak, size)
    for w, w0 in zip(loaded.weights, net.weights):
        np.testing.assert_array_equal(w, w0)
        assert w.dtype == np.float64 and w.flags.c_contiguous and w.flags.writeable


def test_loading_reports_its_progress(tmp_path):
    net = Network([300, 1000, 10], seed=1)
    path = tmp_path / "net.npz"
    save_network(net, path)
    calls = []
    loaded = netfile.load_network(path, progress=lambda done, total: calls.append((done, total)))
    total = net.n_parameters
    assert all(t == total for _, t in calls)
    done = [d for d, _ in calls]
    assert done == sorted(done) and done[-1] == total
    assert len(set(done)) > 4  # pieces of the big w¹ (2.4 MB), not one report per array
    np.testing.assert_array_equal(loaded.weights[0], net.weights[0])
