"""``nnviz bench landscape``: the cost landscape of a 784-30-10 network over 1,000 MNIST
training images.

A 201-point curve E(w) for a first-layer weight (``curve_ms``, target ≤ 50 ms) and a 41 × 41
grid over two first-layer weights (``grid_ms``, target ≤ 500 ms), each the median of a few runs,
beside the naive cost of a full forward pass per point (``naive_curve_ms`` measured,
``naive_grid_ms`` from the measured time per point). The weights come from a central pixel,
which some of the images leave blank (``reached``: the share of images the weight reaches; a
weight only changes E through those); a first-layer bias reaches every image
(``curve_bias_ms``).
"""

from __future__ import annotations

import time

import numpy as np

#: w^1_jk of the benchmark: pixel (14, 14) and its right neighbour, into hidden neurons 0 and 1.
PIXEL = 14 * 28 + 14
SAMPLES = 1000


def _median_ms(fn, repeats: int) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds of ``fn()`` over ``repeats`` runs (the CPU time
    says what the wall time would be on an idle machine)."""
    wall, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return 1000 * float(np.median(wall)), 1000 * float(np.median(cpu))


def run(mnist, log=print, samples: int = SAMPLES) -> dict:
    from ..core.landscape import Parameter, Slice, curve, grid
    from ..core.presets import get_preset

    net = get_preset("mnist-30").build()
    x = mnist.train.inputs(slice(0, samples))
    y = mnist.train.targets(slice(0, samples))
    p1, p2 = Parameter("w", 1, 0, PIXEL), Parameter("w", 1, 1, PIXEL + 1)
    curve(net, x, y, p1)  # warm up
    # each from scratch: the forward pass below the layer, the curve, the slope, E after
    curve_ms, curve_cpu = _median_ms(lambda: curve(net, x, y, p1, points=201), 7)
    bias_ms, _ = _median_ms(lambda: curve(net, x, y, Parameter("b", 1, 0), points=201), 5)
    grid_ms, grid_cpu = _median_ms(lambda: grid(net, x, y, p1, p2, points=41, steps=0), 3)
    one, two = Slice(net, x, y, [p1]), Slice(net, x, y, [p1, p2])
    values = curve(net, x, y, p1, points=201).values

    other = net.copy()

    def naive(vals):
        for v in vals:
            other.weights[0][0, PIXEL] = v
            other.cost(other.forward(x), y)

    naive_curve_ms, _ = _median_ms(lambda: naive(values), 1)
    out = {"curve_ms": curve_ms, "curve_cpu_ms": curve_cpu, "curve_bias_ms": bias_ms,
           "grid_ms": grid_ms, "grid_cpu_ms": grid_cpu, "naive_curve_ms": naive_curve_ms,
           "naive_grid_ms": naive_curve_ms / 201 * 41 * 41, "samples": samples,
           "curve_points": 201, "grid_points": 41 * 41,
           "reached": len(one.rows) / samples, "reached_grid": len(two.rows) / samples}
    log(f"784-30-10 over {samples} MNIST training images; w¹₀,{PIXEL} reaches "
        f"{100 * out['reached']:.0f}% of them (w¹₀,{PIXEL} or w¹₁,{PIXEL + 1}: "
        f"{100 * out['reached_grid']:.0f}%)")
    log(f"201-point curve: {curve_ms:.1f} ms ({curve_cpu:.1f} ms of CPU; a bias, every image: "
        f"{bias_ms:.1f} ms); "
        f"naive, a full forward per point: {naive_curve_ms:.0f} ms")
    log(f"41 × 41 grid: {grid_ms:.0f} ms ({grid_cpu:.0f} ms of CPU); naive: about "
        f"{out['naive_grid_ms']:.0f} ms")
    log("targets: curve ≤ 50 ms " + ("met" if curve_ms <= 50 else "NOT met")
        + ", grid ≤ 500 ms " + ("met" if grid_ms <= 500 else "NOT met"))
    return out
