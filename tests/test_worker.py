"""The background training process: reports, snapshots, commands, failures, clean shutdown."""

import glob
import multiprocessing as mp
import os
import signal
import sys
import time
from multiprocessing.shared_memory import SharedMemory

import numpy as np
import pytest

from nnviz.core import BatchReport, EpochReport, Network, TrainConfig, Trainer, TrainingResult
from nnviz.data import Dataset, spiral, xor
from nnviz.data.spec import DataSpec
from nnviz.worker import BackgroundTraining, Diverged, Failed, Paused, SharedParameters, Started

LONG = 100_000  # epochs: a run that only ends when told to


@pytest.fixture(autouse=True)
def no_leaked_shared_memory():
    yield
    leaked = glob.glob(f"/dev/shm/nnviz-{os.getpid()}-*")
    assert not leaked, f"shared memory left behind: {leaked}"


def wait_for(job, kind, timeout=5.0, events=None):
    """Poll ``job`` until an event of type ``kind`` arrives; return all events polled (appended
    to ``events`` if given). Pauses, divergences and ends are the last event: the child then
    waits or exits."""
    events = [] if events is None else events
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        got = job.poll()
        events += got
        if any(isinstance(event, kind) for event in got):
            return events
        time.sleep(0.005)
    raise AssertionError(f"no {kind.__name__} within {timeout} s; got {events[-5:]}")


def toy_job(epochs=LONG, **config) -> BackgroundTraining:
    config = {"eta": 1.0, "batch_size": 10, "epochs": epochs, "seed": 0, **config}
    return BackgroundTraining(Network([2, 8, 1], seed=0), TrainConfig(**config),
                              DataSpec(train=spiral(200, seed=0)))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc (Linux)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# -- the Trainer addition the worker relies on --------------------------------------------------

def test_trainer_continues_a_run_from_an_earlier_result():
    config = TrainConfig(eta=1.0, batch_size=2, epochs=4, seed=0, schedule="step", step_epochs=2)
    net = Network([2, 3, 1], seed=0)
    first = Trainer(net, xor(), config)
    for report in first.run():
        if isinstance(report, EpochReport) and report.epoch == 2:
            first.cancel()
    assert first.result.reason == "cancelled" and first.result.epochs_completed == 2
    second = Trainer(net, xor(), config, continue_from=first.result)
    reports = list(second.run())
    epochs = [r for r in reports if isinstance(r, EpochReport)]
    assert [r.epoch for r in epochs] == [3, 4]
    assert [r.eta for r in epochs] == [0.5, 0.5]  # the step schedule goes on where it was
    assert epochs[0].train_seconds > first.result.train_seconds
    result = second.result
    assert result.reason == "completed" and result.epochs_completed == 4
    assert [r.epoch for r in result.history] == [1, 2, 3, 4]
    assert result.samples_trained == 4 * len(xor())


# -- the seqlock --------------------------------------------------------------------------------

SHAPES = [(300, 785), (300, 301), (10, 301)]


def _pattern_writer(name: str) -> None:
    """Publish versions back to back, until signalled to stop: odd versions as arrays of ones,
    even ones as arrays of twos, so a copy that mixes two versions holds both values.

    Both ways a copy can mix versions happen often: the twos are float32 in C order, a plain
    copy that is faster than a reader's (which allocates fresh memory), so such a write started
    during a copy overtakes it (what the check after the copy catches); the ones are float64 in
    Fortran order, a conversion and transposition several times slower than a copy, so whole
    copies fall inside one write (what the odd sequence number catches). Between writes the
    writer waits a random 0–0.2 ms, so that reads fit in the gaps.
    """
    shared = SharedParameters.attach(name, SHAPES, np.float32)
    sources = [[np.full(s, 2, np.float32) for s in SHAPES],
               [np.full(s, 1, np.float64, order="F") for s in SHAPES]]
    rng = np.random.default_rng(1)
    try:
        while shared.signal == 0:
            version = shared.publish(sources[(shared.version + 1) % 2])
            gap = time.perf_counter() + rng.uniform(0, 0.0002)
            while time.perf_counter() < gap:
                pass
            if version > 10_000_000:
                break
    finally:
        shared.close()


def _torn(arrays, version=None) -> bool:
    values = {float(v) for a in arrays for v in (a.min(), a.max())}
    return len(values) != 1 or (version is not None and values != {2.0 - version % 2})


def test_copies_are_never_torn_while_another_process_writes():
    shared = SharedParameters.create(SHAPES, np.float32)
    writer = mp.get_context("spawn").Process(target=_pattern_writer, args=(shared.name,))
    writer.start()
    try:
        deadline = time.perf_counter() + 10
        while shared.version < 10 and time.perf_counter() < deadline:
            time.sleep(0.01)
        good = torn = unchecked_torn = 0
        last = 0
        end = time.perf_counter() + 0.6
        while time.perf_counter() < end:
            got = shared.read()
            if got is not None:
                version, arrays = got
                assert version >= last
                last = version
                good += 1
                torn += _torn(arrays, version)
        # The same copies without the sequence check: proof that this test can see tears.
        end = time.perf_counter() + 0.1
        while time.perf_counter() < end:
            unchecked_torn += _torn(shared.unchecked_copies())
        shared.signal = 1
    finally:
        writer.join(5)
        shared.close()
    assert writer.exitcode == 0
    assert torn == 0 and good > 50, (good, torn)
    assert unchecked_torn > 0


def test_a_writer_stopped_mid_write_makes_reads_give_up_not_hang():
    shared = SharedParameters.create([(3, 4)], np.float64)
    try:
        shared.publish([np.ones((3, 4))])
        assert shared.read()[0] == 1 and shared.read(since=1) is None
        shared.begin_write()  # and no end: as a writer killed mid-write leaves it
        tick = time.perf_counter()
        assert shared.read(timeout=0.02) is None
        assert time.perf_counter() - tick < 0.5
    finally:
        shared.close()
    with pytest.raises(FileNotFoundError):
        SharedMemory(shared.name)


# -- runs ---------------------------------------------------------------------------------------

def test_a_short_run_reports_in_order_and_trains_as_the_trainer_does():
    data = DataSpec.mnist(train_size=2000, test_size=500)
    config = TrainConfig(eta=3.0, batch_size=10, epochs=3, seed=0)
    net = Network([784, 10, 10], seed=0)
    with BackgroundTraining(net, config, data) as job:
        job.start()
        events = wait_for(job, TrainingResult, timeout=10)
        assert job.state == "finished"
        version, weights, biases = job.snapshot()
        final_w, final_b = job.final_parameters()
    assert isinstance(events[0], Started) and events[0].n_train == 2000
    assert events[0].n_test == 500 and 0 < events[0].startup_seconds < 10
    reports = [e for e in events if isinstance(e, (BatchReport, EpochReport))]
    assert [r.epoch for r in reports if isinstance(r, EpochReport)] == [1, 2, 3]
    positions = [(r.epoch, r.batch) for r in reports if isinstance(r, BatchReport)]
    assert positions == sorted(set(positions))
    for i, r in enumerate(reports):  # each epoch's report follows its last mini-batch's
        if isinstance(r, EpochReport):
            assert (reports[i - 1].epoch, reports[i - 1].batch) == (r.epoch, 200)
    assert events[-1].reason == "completed" and events[-1].epochs_completed == 3
    for a, b in zip(weights + biases, final_w + final_b):
        assert np.array_equal(a, b)
    # The same run in this process ends with the same weights.
    train, validation, test = data.load()
    reference = Trainer(net, train, config, validation, test)
    for _ in reference.run():
        pass
    for a, b in zip(net.weights + net.biases, final_w + final_b):
        assert np.array_equal(a, b)
    assert events[-1].history[-1].test_accuracy == reference.result.history[-1].test_accuracy


def test_snapshots_while_training_are_whole_and_newer_each_time():
    with toy_job() as job:
        job.start()
        wait_for(job, BatchReport)
        versions = []
        end = time.perf_counter() + 0.4
        while time.perf_counter() < end:
            got = job.snapshot(since=versions[-1] if versions else None)
            if got is not None:
                version, weights, biases = got
                assert [w.shape for w in weights] == [(8, 2), (1, 8)]
                assert [b.shape for b in biases] == [(8,), (1,)]
                assert all(np.isfinite(a).all() for a in weights + biases)
                versions.append(version)
            job.poll()
    assert versions == sorted(set(versions)) and len(versions) >= 5
    assert job.snapshot() is None  # closed


def test_pause_stops_progress_without_using_the_cpu_and_resume_continues():
    with toy_job() as job:
        job.start()
        wait_for(job, BatchReport)
        job.pause()
        assert job.state == "paused"
        wait_for(job, Paused)
        version = job.snapshot()[0]
        cpu = cpu_seconds(job.pid) if sys.platform == "linux" else None
        time.sleep(0.3)
        assert not [e for e in job.poll() if isinstance(e, (BatchReport, EpochReport))]
        assert job.snapshot(since=version) is None
        if cpu is not None:
            assert cpu_seconds(job.pid) - cpu < 0.05
        job.resume()
        assert job.state == "running"
        events = wait_for(job, BatchReport)
        assert not [e for e in events if isinstance(e, Paused)]
        time.sleep(0.05)
        assert job.snapshot(since=version) is not None


def test_stop_ends_the_run_early_with_its_final_weights():
    with toy_job() as job:
        job.start()
        wait_for(job, EpochReport)
        job.stop()
        result = wait_for(job, TrainingResult)[-1]
        assert result.reason == "cancelled" and 1 <= result.epochs_completed < LONG
        assert job.state == "finished" and job.result is result
        _, weights, biases = job.snapshot()
        final_w, final_b = job.final_parameters()
        assert all(np.array_equal(a, b) for a, b in zip(weights + biases, final_w + final_b))
        job.process.join(2)
        assert not job.is_alive()


def test_step_one_batch_then_one_epoch():
    with toy_job() as job:  # 200 samples in mini-batches of 10: 20 per epoch
        job.start(paused=True)
        assert wait_for(job, Paused)[-1].message == "paused before the first mini-batch"
        job.step_batches(3)
        events = wait_for(job, Paused)
        assert job.state == "paused"
        batches = [e for e in events if isinstance(e, BatchReport)]
        assert (batches[-1].epoch, batches[-1].batch) == (1, 3)
        assert not [e for e in events if isinstance(e, EpochReport)]
        assert events[-1].message == "paused after mini-batch 3 of 20 in epoch 1"
        job.step_epoch()
        events = wait_for(job, Paused)
        assert [e.epoch for e in events if isinstance(e, EpochReport)] == [1]
        assert max((e.epoch, e.batch) for e in events if isinstance(e, BatchReport)) == (1, 20)
        assert events[-1].message == "paused after epoch 1"
        job.step_epoch()  # from an epoch boundary: one whole epoch
        events = wait_for(job, Paused)
        assert [e.epoch for e in events if isinstance(e, EpochReport)] == [2]
        job.step_batches(1)
        events = wait_for(job, Paused)
        assert [(e.epoch, e.batch) for e in events if isinstance(e, BatchReport)] == [(3, 1)]


def test_a_live_learning_rate_applies_from_the_next_mini_batch():
    def change(job):
        _, weights, biases = job.snapshot()
        job.step_batches(1)
        events = wait_for(job, Paused)
        _, new_w, new_b = job.snapshot()
        eta = [e.eta for e in events if isinstance(e, BatchReport)]
        return eta, max(np.abs(a - b).max() for a, b in zip(weights + biases, new_w + new_b))

    with toy_job(eta=3.0, dtype="float64") as job:
        job.start(paused=True)
        wait_for(job, Paused)
        assert change(job)[0] == [3.0]
        job.set_hyperparameters(eta=1e-9)
        eta, moved = change(job)
        assert eta == [1e-9] and moved < 1e-8
        job.set_hyperparameters(eta=5.0)
        eta, moved = change(job)
        assert eta == [5.0] and moved > 1e-3
        with pytest.raises(ValueError, match="momentum"):
            job.set_hyperparameters(momentum=1.0)
        assert job.config.eta == 5.0 and job.config.momentum == 0.0
        # L1 too: with η tiny every weight moves ηλ/n = 1e-9 · 2e9 / 200 = 0.01 towards 0
        job.set_hyperparameters(eta=1e-9, l1=2e9)
        assert job.config.l1 == 2e9
        _, moved = change(job)
        assert moved == pytest.approx(0.01, rel=1e-6)
        job.set_hyperparameters(eta=5.0, l1=0.0)
        # While running, too: after the first report at the new η, the weights barely move.
        job.resume()
        wait_for(job, BatchReport)
        job.set_hyperparameters(eta=1e-12)
        while not any(isinstance(e, BatchReport) and e.eta == 1e-12
                      for e in wait_for(job, BatchReport)):
            pass
        _, before, _ = job.snapshot()
        time.sleep(0.1)
        _, after, _ = job.snapshot()
        assert max(np.abs(a - b).max() for a, b in zip(before, after)) < 1e-6


def test_divergence_pauses_keeps_the_last_good_weights_and_can_go_on():
    rng = np.random.default_rng(0)
    wild = Dataset(rng.normal(size=(64, 3)) * 50, rng.normal(size=(64, 1)) * 50, name="wild")
    net = Network([3, 8, 1], ["linear", "linear"], "quadratic", seed=0)
    config = TrainConfig(eta=5.0, batch_size=8, epochs=6, seed=0)
    with BackgroundTraining(net, config, DataSpec(train=wild)) as job:
        job.start()
        events = wait_for(job, Diverged)
        diverged = events[-1]
        assert "nan" in diverged.message or "inf" in diverged.message
        assert "lower η" in diverged.message
        assert job.state == "paused"
        weights, biases = job.last_good_parameters()
        done = max([e.epoch for e in events if isinstance(e, EpochReport)], default=0)
        assert f"weights from {f'the end of epoch {done}' if done else 'the start'}" in \
            diverged.message
        if done == 0:  # went back to where it started
            for a, b in zip(weights + biases, net.weights + net.biases):
                np.testing.assert_allclose(a, b, rtol=1e-6)
        _, snap_w, snap_b = job.snapshot()
        assert all(np.array_equal(a, b) for a, b in zip(weights + biases, snap_w + snap_b))
        time.sleep(0.1)
        assert not job.poll()  # waits for a decision
        job.set_hyperparameters(eta=1e-5)
        job.resume()
        wait_for(job, TrainingResult, events=events)
    # Epochs finished before the divergence, then the rest: the cut epoch is run again in full.
    assert [e.epoch for e in events if isinstance(e, EpochReport)] == [1, 2, 3, 4, 5, 6]
    result = events[-1]
    assert result.reason == "completed" and result.epochs_completed == 6
    assert [r.epoch for r in result.history] == [1, 2, 3, 4, 5, 6]


def test_stop_after_a_divergence_ends_with_the_last_good_weights():
    rng = np.random.default_rng(0)
    wild = Dataset(rng.normal(size=(64, 3)) * 50, rng.normal(size=(64, 1)) * 50, name="wild")
    net = Network([3, 8, 1], ["linear", "linear"], "quadratic", seed=0)
    with BackgroundTraining(net, TrainConfig(eta=5.0, batch_size=8, epochs=50),
                            DataSpec(train=wild)) as job:
        job.start()
        wait_for(job, Diverged)
        job.stop()
        result = wait_for(job, TrainingResult)[-1]
        assert result.reason == "diverged" and "kept the weights from" in result.message
        good_w, good_b = job.last_good_parameters()
        final_w, final_b = job.final_parameters()
    assert all(np.array_equal(a, b) for a, b in zip(good_w + good_b, final_w + final_b))


# -- failures and shutdown ----------------------------------------------------------------------

def test_a_killed_worker_is_reported_as_failed():
    with toy_job() as job:
        job.start()
        wait_for(job, BatchReport)
        name = job.shared_memory_name
        os.kill(job.pid, signal.SIGKILL)
        failed = wait_for(job, Failed, timeout=3)[-1]
        assert job.state == "failed"
        assert failed.exitcode == -signal.SIGKILL and "SIGKILL" in failed.message
        job.pause()  # commands to a dead worker are ignored
        assert job.state == "failed"
        with pytest.raises(RuntimeError, match="failed"):
            job.final_parameters()
        # Its shared memory is freed now, not left to the resource tracker until exit, and
        # the parameters it last published stay readable.
        from multiprocessing.shared_memory import SharedMemory

        assert job.shared_memory_name is None
        version, weights, biases = job.snapshot()
        assert [w.shape for w in weights] == [w.shape for w in job._net.weights]
        assert all(np.isfinite(w).all() for w in weights + biases)
        assert job.snapshot(since=version) is None
        with pytest.raises(FileNotFoundError):
            SharedMemory(name)


def test_an_exception_in_the_worker_is_reported_as_failed(tmp_path):
    job = BackgroundTraining(Network([784, 10, 10], seed=0), TrainConfig(epochs=1),
                             DataSpec.mnist(folder=tmp_path))
    with job:
        job.start()
        failed = wait_for(job, Failed)[-1]
        assert "missing MNIST file" in failed.message and str(tmp_path) in failed.message
        assert "Traceback" in failed.details
        assert job.state == "failed"


def test_data_that_cannot_fit_is_refused_before_any_process_starts():
    with pytest.raises(ValueError, match="784 inputs"):
        BackgroundTraining(Network([2, 3, 1]), TrainConfig(), DataSpec.mnist())
    with pytest.raises(ValueError, match="2 inputs"):
        BackgroundTraining(Network([3, 1]), TrainConfig(), DataSpec(train=xor()))
    with pytest.raises(ValueError, match="η"):
        BackgroundTraining(Network([2, 1]), TrainConfig(eta=-1), DataSpec(train=xor()))
    with pytest.raises(RuntimeError, match="start"):
        BackgroundTraining(Network([2, 1]), TrainConfig(), DataSpec(train=xor())).pause()


@pytest.mark.parametrize("when", ["mid-epoch", "while starting"])
def test_close_ends_the_process_and_frees_the_shared_memory_within_a_second(when):
    job = BackgroundTraining(Network([784, 10, 10], seed=0), TrainConfig(epochs=LONG),
                             DataSpec.mnist(train_size=2000, test_size=0))
    job.start()
    if when == "mid-epoch":
        wait_for(job, BatchReport, timeout=10)
    name, process = job.shared_memory_name, job.process
    tick = time.perf_counter()
    job.close()
    assert time.perf_counter() - tick < 1.0
    assert job.state == "closed" and not job.is_alive() and not process.is_alive()
    with pytest.raises(FileNotFoundError):
        SharedMemory(name)
    job.close()  # idempotent
    if when == "mid-epoch":  # it stopped cleanly, between two mini-batches
        assert isinstance(job.poll()[-1], TrainingResult)
        assert job.final_parameters()[0][0].shape == (10, 784)
    assert job.snapshot() is None


def test_the_worker_module_never_imports_qt():
    import subprocess

    code = ("import sys, nnviz.worker; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, cwd=os.path.dirname(os.path.dirname(__file__)))
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_child_starts_with_one_blas_thread_and_the_parent_environment_is_restored(monkeypatch):
    from nnviz.worker import _BLAS_THREAD_VARIABLES, _single_threaded_blas

    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "3")  # the user's own choice is kept
    with _single_threaded_blas():
        assert os.environ["OPENBLAS_NUM_THREADS"] == "1"
        assert os.environ["OMP_NUM_THREADS"] == "3"
    assert "OPENBLAS_NUM_THREADS" not in os.environ
    assert os.environ["OMP_NUM_THREADS"] == "3"
    assert "MKL_NUM_THREADS" in _BLAS_THREAD_VARIABLES


# -- pace: epochs per second, for runs one can watch -------------------------------------------

def epoch_times(job, n, timeout=30.0):
    """perf_counter() when each of the next ``n`` EpochReports was polled."""
    times, deadline = [], time.perf_counter() + timeout
    while len(times) < n and time.perf_counter() < deadline:
        for event in job.poll():
            if isinstance(event, EpochReport):
                times.append(time.perf_counter())
        time.sleep(0.002)
    assert len(times) >= n, f"only {len(times)} epochs within {timeout} s"
    return times[:n]


def test_a_pace_spaces_the_epochs_and_can_be_changed_live():
    # 200 points in batches of 10 train in about a millisecond an epoch at full speed
    with toy_job(pace=25.0) as job:
        started = time.perf_counter()
        job.start()
        times = epoch_times(job, 6)
        # A lower bound only, from the start (a busy machine can make epochs later, never
        # earlier; measured from the first report instead, a late first report shortened it).
        assert times[-1] - started >= 5 / 25.0 * 0.9
        job.set_hyperparameters(pace=None)  # full speed from the next epoch on
        assert job.config.pace is None
        with pytest.raises(ValueError, match="pace"):
            job.set_hyperparameters(pace=-1.0)
        epoch_times(job, 100, timeout=20.0)  # 100 epochs at 25/s would take 4 s: gone faster
        job.stop()
        wait_for(job, TrainingResult, timeout=10.0)


def test_stop_and_pause_end_a_long_paced_wait_at_once():
    with toy_job(pace=0.02) as job:  # 50 s between epochs
        job.start()
        epoch_times(job, 1)
        job.pause()
        wait_for(job, Paused, timeout=10.0)  # not 50 s later
        job.resume()
        job.stop()
        wait_for(job, TrainingResult, timeout=10.0)
