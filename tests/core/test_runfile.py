"""Run files: a run saved and opened again is the same run (curves, speeds, result, timeline
bit for bit); anything else is refused with a message naming the problem, never unpickled."""

import io
import json
import zipfile

import numpy as np
import pytest

from nnviz.core import Network, TrainConfig, Trainer
from nnviz.core.runfile import RunFileError, load_run, run_path_for, save_run
from nnviz.core.session import Run
from nnviz.core.training import EpochReport, TrainingResult
from nnviz.data.dataset import Dataset


@pytest.fixture(scope="module")
def run() -> Run:
    """A real run of a toy net: reports, a result, speeds and a float32 timeline."""
    rng = np.random.default_rng(0)
    ds = Dataset(rng.uniform(-1, 1, (40, 6)), rng.integers(0, 3, 40), name="toy")
    net = Network([6, 5, 3], seed=0)
    config = TrainConfig(epochs=4, eta=0.5, seed=0, speed_sample=20)
    run = Run("run 1: 6-5-3, η=0.5, m=10", {"sizes": net.sizes, "eta": 0.5}, label="toy")
    run.timeline.add(0, (net.weights, net.biases))
    trainer = Trainer(net, ds, config)
    for report in trainer.run():
        if isinstance(report, EpochReport):
            run.epochs.append(report)
            run.timeline.add(report.epoch, trainer.kernel.get_state())
        elif isinstance(report, TrainingResult):
            run.result = report
        else:
            run.batch_cost.add(report.epoch - 1 + report.batch / report.n_batches, report.cost)
    run.initial_speed = run.result.initial_learning_speed
    return run


def test_a_run_comes_back_whole_and_its_timeline_bit_for_bit(run, tmp_path):
    path = tmp_path / "net.run.npz"
    save_run(run, path)
    back = load_run(path)
    assert (back.name, back.label, back.settings, back.diverged) == \
        (run.name, run.label, run.settings, run.diverged)
    assert back.epochs == run.epochs and back.initial_speed == run.initial_speed
    assert back.result.history == run.epochs
    assert back.result.test_accuracy == run.result.test_accuracy
    assert back.result.reason == "completed"
    assert back.batch_cost.xs == run.batch_cost.xs and back.batch_cost.ys == run.batch_cost.ys
    assert back.timeline.epochs == run.timeline.epochs == [0, 1, 2, 3, 4]
    for e in run.timeline.epochs:
        for a, b in zip(run.timeline.snapshot(e), back.timeline.snapshot(e)):
            assert a.dtype == b.dtype and np.array_equal(a, b)
        for a, b in zip(run.timeline.get(e)[0], back.timeline.get(e)[0]):
            assert a.tobytes() == b.tobytes()
    (sx, sy), (rx, ry) = back.speeds(), run.speeds()
    assert sx[0] == 0 and sx.tolist() == rx.tolist() and np.array_equal(sy, ry)
    assert sy.shape[1] == 2


def test_a_network_files_run_goes_next_to_it(tmp_path):
    assert run_path_for(tmp_path / "mnist.npz") == tmp_path / "mnist.run.npz"
    assert run_path_for("net") == run_path_for("net.npz").with_name("net.run.npz")


def _rewrite(path, out, change):
    """Copy the run file ``path`` to ``out`` with ``change(arrays)`` applied."""
    with np.load(path, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    change(arrays)
    np.savez(out, **arrays)


def _header(arrays, edit):
    header = json.loads(arrays["header"].tobytes())
    edit(header)
    arrays["header"] = np.frombuffer(json.dumps(header).encode(), np.uint8)


@pytest.mark.parametrize("change, message", [
    (lambda a: _header(a, lambda h: h.update(format="nnviz-network")), "format tag"),
    (lambda a: _header(a, lambda h: h.update(version=7)), "newer nnviz"),
    (lambda a: _header(a, lambda h: h["epochs"][0].update(train_cost="x")), "train_cost"),
    (lambda a: _header(a, lambda h: h["epochs"][1].pop("eta")), "has no eta"),
    (lambda a: _header(a, lambda h: h["result"].update(reason="bored")), "reason"),
    (lambda a: _header(a, lambda h: h["timeline"].update(epochs=[3, 1, 2, 4, 5])),
     "ascending"),
    (lambda a: _header(a, lambda h: h.update(settings=[1])), "settings"),
    (lambda a: a.pop("s2_1"), "s2_1 is missing"),
    (lambda a: a.update(s1_2=np.zeros((3, 4), np.float32)), "does not follow"),
    (lambda a: a.update(s0_1=np.full((5, 7), np.nan)), "NaN"),
    (lambda a: a.update(extra=np.zeros(3)), "unexpected entry"),
    (lambda a: a.update(s0_1=np.zeros((5, 7), np.int64)), "dtype"),
    (lambda a: a.update(batch=np.zeros((3, 2))), "batch has shape"),
])
def test_a_damaged_run_file_is_refused_with_its_problem(run, tmp_path, change, message):
    good = tmp_path / "good.npz"
    save_run(run, good)
    bad = tmp_path / "bad.npz"
    _rewrite(good, bad, change)
    with pytest.raises(RunFileError, match=message) as info:
        load_run(bad)
    assert str(bad) in str(info.value)


def test_pickled_objects_and_other_files_are_refused(run, tmp_path):
    good = tmp_path / "good.npz"
    save_run(run, good)
    bad = tmp_path / "pickled.npz"
    _rewrite(good, bad, lambda a: a.update(s0_1=np.array([{"x": 1}], dtype=object)))
    with pytest.raises(RunFileError, match="pickled"):
        load_run(bad)
    net = tmp_path / "net.npz"
    from nnviz.core.netfile import save_network
    save_network(Network([2, 1], seed=0), net)
    with pytest.raises(RunFileError, match="not an nnviz run file"):
        load_run(net)
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(RunFileError, match="damaged"):
        load_run(tmp_path / "junk.npz")
    with pytest.raises(RunFileError, match="no such file"):
        load_run(tmp_path / "missing.npz")
    truncated = tmp_path / "cut.npz"
    truncated.write_bytes(good.read_bytes()[:-200])
    with pytest.raises(RunFileError):
        load_run(truncated)


def test_a_file_declaring_huge_arrays_is_refused_before_reading(tmp_path, monkeypatch):
    from nnviz.core import runfile

    monkeypatch.setattr(runfile, "MAX_RUN_BYTES", 1000)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("header.npy", b"x")
        z.writestr("s0_1.npy", b"\0" * 5000)
    (tmp_path / "big.npz").write_bytes(buf.getvalue())
    with pytest.raises(RunFileError, match="more than 1,000 bytes"):
        load_run(tmp_path / "big.npz")
