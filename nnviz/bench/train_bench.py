"""``nnviz bench train``: seconds per MNIST epoch of 784-30-10, measured side by side.

In one run: nnviz's trainer at batch 10 and 100, the per-sample reference loop, a hand-written
PyTorch loop when torch is importable, and the FLOP lower bound (the epoch's multiply-adds at
the speed of a large float32 matmul measured now). Figures are best-of-``repeats`` wall times on
a shared machine: compare the ratios, which come from the same run, more than the seconds.
"""

from __future__ import annotations

import time

import numpy as np

from ..core import Network, TrainConfig, Trainer
from .reference import PerSampleSGD, torch_available, torch_epoch

SIZES = [784, 30, 10]
ETA = 3.0


def matmul_gflops(n: int = 2048, repeats: int = 3) -> float:
    """Best float32 GFLOP/s of an n×n matmul on this machine, now."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n), dtype=np.float32)
    b = rng.standard_normal((n, n), dtype=np.float32)
    a @ b  # warm up the thread pool
    best = min(_timed(lambda: a @ b) for _ in range(repeats))
    return 2 * n**3 / best / 1e9


def epoch_flops(sizes, n_samples: int) -> float:
    """Floating-point operations of one epoch of backprop: forward, weight gradients and δ."""
    per_sample = 0
    for l, (k, n) in enumerate(zip(sizes[:-1], sizes[1:])):
        per_sample += 2 * n * (k + 1) * 2  # z = w a + b and ∂E/∂w, ∂E/∂b
        if l > 0:
            per_sample += 2 * n * k  # δ^(l−1) = wᵀ δ^l
    return per_sample * n_samples


def _timed(fn) -> float:
    tick = time.perf_counter()
    fn()
    return time.perf_counter() - tick


def nnviz_epoch(train, batch_size: int, seed: int = 0) -> tuple[float, float]:
    """(training seconds, accuracy on the test... train data) of one nnviz epoch."""
    net = Network(SIZES, seed=seed)
    trainer = Trainer(net, train, TrainConfig(eta=ETA, batch_size=batch_size, epochs=1, seed=seed))
    for _ in trainer.run():
        pass
    return trainer.result.train_seconds, net.evaluate(train)[1]


def run(train, repeats: int = 3, reference: bool = True, torch: bool = True, log=print) -> dict:
    """Measure everything; ``log`` receives one human-readable line per figure."""
    out: dict = {"network": "-".join(map(str, SIZES)), "samples": len(train), "eta": ETA,
                 "repeats": repeats}
    gflops = matmul_gflops()
    flops = epoch_flops(SIZES, len(train))
    out["matmul_gflops"] = gflops
    out["flop_bound_s"] = flops / (gflops * 1e9)
    log(f"large float32 matmul: {gflops:.1f} GFLOP/s; epoch = {flops / 1e9:.2f} GFLOP; "
        f"FLOP lower bound {out['flop_bound_s']:.3f} s/epoch")
    has_torch = torch and torch_available()
    for bs in (10, 100):
        row: dict = {}
        times = [nnviz_epoch(train, bs, seed) for seed in range(repeats)]
        row["nnviz_s"] = min(t for t, _ in times)
        row["nnviz_accuracy"] = times[0][1]
        log(f"batch {bs:>3}: nnviz        {row['nnviz_s']:.3f} s/epoch "
            f"(train accuracy after it {row['nnviz_accuracy']:.3f})")
        if reference:
            ref = PerSampleSGD(SIZES, seed=0)
            row["per_sample_s"] = ref.epoch(train, bs, ETA)
            row["per_sample_accuracy"] = ref.accuracy(train)
            row["speedup_vs_per_sample"] = row["per_sample_s"] / row["nnviz_s"]
            log(f"batch {bs:>3}: per-sample   {row['per_sample_s']:.3f} s/epoch "
                f"→ nnviz is {row['speedup_vs_per_sample']:.1f}x faster")
        if has_torch:
            torch_epoch(train.subset(slice(0, 2000)), SIZES, bs, ETA)  # warm up
            runs = [torch_epoch(train, SIZES, bs, ETA, seed) for seed in range(repeats)]
            row["torch_s"] = min(t for t, _ in runs)
            row["torch_accuracy"] = runs[0][1]
            row["speedup_vs_torch"] = row["torch_s"] / row["nnviz_s"]
            log(f"batch {bs:>3}: torch        {row['torch_s']:.3f} s/epoch "
                f"→ nnviz is {row['speedup_vs_torch']:.2f}x faster")
        row["ratio_to_flop_bound"] = row["nnviz_s"] / out["flop_bound_s"]
        log(f"batch {bs:>3}: nnviz / FLOP bound = {row['ratio_to_flop_bound']:.2f}")
        out[f"batch_{bs}"] = row
    if not has_torch:
        out["torch"] = "not installed (pip install torch==2.13.0 for the comparison)"
        log("torch: " + out["torch"])
    return out
