"""`nnviz import` and `nnviz export`: a PyTorch MLP (safetensors) in and out, one-line errors with
exit 2; the imported network needs no initialisation, is described by `nnviz info`, steps with
`nnviz step --open` and opens in the window; README documents the file format and the commands."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nnviz.cli import main
from nnviz.core import Network
from nnviz.core.interop import tensors_from_network
from nnviz.core.netfile import load_network, save_network
from nnviz.core.safetensors import encode_safetensors
from nnviz.core.stepper import Walk

ROOT = Path(__file__).resolve().parents[1]


def torch_like_file(path: Path, seed: int = 0) -> tuple[Path, list, list]:
    """A safetensors file as torch saves nn.Sequential(Linear(3, 4), ReLU, Linear(4, 2))'s
    state_dict: float32, keys alphabetical, no metadata."""
    rng = np.random.default_rng(seed)
    w = [rng.standard_normal((4, 3)).astype(np.float32),
         rng.standard_normal((2, 4)).astype(np.float32)]
    b = [rng.standard_normal(4).astype(np.float32), rng.standard_normal(2).astype(np.float32)]
    path.write_bytes(encode_safetensors({"0.bias": b[0], "0.weight": w[0], "2.bias": b[1],
                                         "2.weight": w[1]}, dtype="float32"))
    return path, w, b


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_export_then_import_gives_the_same_network(tmp_path, capsys):
    net = Network([5, 4, 3], ["tanh", "softmax"], "log-likelihood", seed=3, init="scaled")
    path = tmp_path / "net.npz"
    save_network(net, path)
    code, out, err = run(capsys, "export", str(path), "--to", "safetensors")
    exported = tmp_path / "net.safetensors"
    assert code == 0 and err == "" and exported.is_file()
    assert out.startswith(f"{path} → {exported}: 5-4-3 (tanh, softmax), cost log-likelihood, "
                          "float64, keys 0.weight, 2.weight")
    again_path = tmp_path / "again.npz"
    code, out, err = run(capsys, "import", str(exported), "-o", str(again_path))
    assert code == 0 and err == ""
    assert out.splitlines() == [
        f"{exported} → {again_path}: 5-4-3 (tanh, softmax), cost log-likelihood, 39 parameters",
        "  layers in the order 0, 2", "  activations from the file's metadata",
        "  cost from the file's metadata"]
    again = load_network(again_path)
    assert again.init is None and again.activation_names == ["tanh", "softmax"]
    for a, b in zip(net.weights + net.biases, again.weights + again.biases, strict=True):
        assert a.tobytes() == b.tobytes()


def test_import_a_torch_file_with_options_and_info_shows_no_initialisation(tmp_path, capsys):
    source, w, b = torch_like_file(tmp_path / "model.safetensors")
    code, out, err = run(capsys, "import", str(source), "--activations", "ReLU,sigmoid",
                         "--normalise", "0.5,0.25")
    target = tmp_path / "model.npz"  # the default output
    assert code == 0 and err == "", err
    assert "cost quadratic, for a sigmoid output (give another with --cost)" in out
    assert "input normalisation (x − 0.5)/0.25 folded into layer 1" in out
    net = load_network(target)
    x = np.array([0.1, 0.7, 0.3])
    h = np.maximum(0, w[0].astype(float) @ ((x - 0.5) / 0.25) + b[0])
    expected = 1 / (1 + np.exp(-(w[1].astype(float) @ h + b[1])))
    assert np.allclose(net.feedforward(x), expected, rtol=0, atol=1e-14)
    code, out, _ = run(capsys, "info", str(target))
    assert code == 0 and "layers: 3-4-2 (relu, sigmoid), cost quadratic, init none (imported " \
        "weights)" in out
    code, out, _ = run(capsys, "info", str(target), "--json")
    assert json.loads(out)["init"] is None


def test_an_imported_network_steps_with_step_open(tmp_path, capsys):
    source, _, _ = torch_like_file(tmp_path / "model.safetensors")
    target = tmp_path / "imported.npz"
    assert main(["import", str(source), "--activations", "relu,softmax", "-o", str(target)]) == 0
    capsys.readouterr()
    code, out, err = run(capsys, "step", "--open", str(target), "--input", "0.2,0.4,0.6",
                         "--target", "0,1", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    net = load_network(target)
    walk = Walk(net, [0.2, 0.4, 0.6], [0.0, 1.0])
    assert data["file"] == str(target) and data["sizes"] == [3, 4, 2]
    assert data["activations"] == ["relu", "softmax"] and data["cost"] == "log-likelihood"
    assert data["layers"][0]["w"] == net.weights[0].tolist()
    assert data["E_before"] == walk.E_before and data["E_after"] == walk.E_after


def test_an_imported_network_opens_in_the_window(tmp_path, qapp, capsys):
    source, _, _ = torch_like_file(tmp_path / "model.safetensors")
    target = tmp_path / "imported.npz"
    assert main(["import", str(source), "--activations", "relu,softmax", "-o", str(target)]) == 0
    shot = tmp_path / "shot.png"
    code, _, err = run(capsys, "--open", str(target), "--stage", "2", "--screenshot", str(shot),
                       "--size", "800x600")
    assert code == 0 and err == ""
    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    assert (image.width(), image.height()) == (800, 600)


@pytest.mark.parametrize("args,words", [
    (["import", "{dir}/missing.safetensors"], "missing.safetensors: no such file"),
    (["import", "{dir}/plain.safetensors"], "says nothing about the activations"),
    (["import", "{dir}/plain.safetensors", "--activations", "gelu"], "unknown activation 'gelu'"),
    (["import", "{dir}/plain.safetensors", "--activations", "relu,softmax", "--cost",
      "cross-entropy"], "cross-entropy cost needs a sigmoid output"),
    (["import", "{dir}/plain.safetensors", "--activations", "relu,sigmoid", "--layers", "0,1"],
     "--layers 0,1 does not name each of the file's layers once (it has 0, 2)"),
    (["import", "{dir}/damaged.safetensors", "--activations", "relu,sigmoid"],
     "header length"),
    (["import", "{dir}/plain.safetensors", "--activations", "relu,sigmoid", "-o",
      "{dir}/plain.safetensors"], "is the file being imported"),
    (["import", "{dir}/plain.safetensors", "--activations", "relu,sigmoid", "-o",
      "{dir}/nofolder/x.npz"], "cannot write"),
    (["import", "{dir}/plain.safetensors", "--normalise", "0,0"], "std > 0"),
    (["import", "{dir}/plain.safetensors", "--normalise", "1"], "MEAN,STD"),
    (["export", "{dir}/plain.safetensors", "-o", "{dir}/out.safetensors"],
     "not an nnviz network file"),
    (["export", "{dir}/net.npz", "-o", "{dir}/net.npz"], "is the file being exported"),
    (["export", "{dir}/net.npz", "--to", "onnx"], "invalid choice: 'onnx'"),
    (["export", "{dir}/net.npz", "--dtype", "float16"], "invalid choice: 'float16'"),
])
def test_bad_imports_and_exports_exit_2_with_one_line(args, words, tmp_path, capsys):
    torch_like_file(tmp_path / "plain.safetensors")
    (tmp_path / "damaged.safetensors").write_bytes(b"\xff" * 64)
    save_network(Network([3, 2], seed=0), tmp_path / "net.npz")
    args = [a.format(dir=tmp_path) for a in args]
    try:
        code = main(args)
    except SystemExit as exc:  # argparse's own refusals
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and words in err, err
    assert not (tmp_path / "nofolder").exists()


def test_import_and_export_never_import_qt(tmp_path):
    save_network(Network([3, 2], seed=0), tmp_path / "net.npz")
    code = ("import sys; from nnviz.cli import main; "
            f"assert main(['export', {str(tmp_path / 'net.npz')!r}]) == 0; "
            f"assert main(['import', {str(tmp_path / 'net.safetensors')!r}, '-o', "
            f"{str(tmp_path / 'again.npz')!r}]) == 0; "
            "assert not [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))]")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr


def test_readme_documents_the_file_format_and_the_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    files = readme.split("### Network files", 1)[1].split("\n### ", 1)[0]
    for key in ("format", "version", "sizes", "activations", "cost", "init", "w1", "b1",
                "float64", "input_labels", "example", "MAX_PARAMETERS", "50,000,000"):
        assert key in files, key
    interop = readme.split("### Import and export", 1)[1].split("\n### ", 1)[0]
    tensors, metadata = tensors_from_network(Network([2, 3, 3, 1], seed=0))
    for text in ("nnviz import", "nnviz export", "--to safetensors", "--activations",
                 "--normalise", "--cost", "--layers", "--dtype float32", "w¹ ← w¹/std",
                 *tensors, *metadata):
        assert text in interop, text
