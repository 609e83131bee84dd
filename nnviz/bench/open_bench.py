"""``nnviz bench open``: how long the largest networks take from ``nnviz --open`` to a
screenshot, and the peak memory they need, side by side with the targets.

The networks (784-1024-1024-10 and 4096-4096-4096-10, the largest layers the app accepts:
33.6M parameters, a 269 MB file) are made with random weights and saved into a temporary
folder; each is then opened by a fresh ``nnviz --open FILE --screenshot PNG --size 1600x900``
process. Its wall-clock seconds (best of the repeats), CPU seconds and peak resident memory
(its VmHWM) are reported. Targets: at most 4 s, and a peak of at most
twice the parameters' float64 bytes plus 400 MB.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

NETWORKS = ((784, 1024, 1024, 10), (4096, 4096, 4096, 10))
TARGET_SECONDS = 4.0
MB = 1_000_000


def target_peak_bytes(n_parameters: int) -> int:
    """Twice the parameters' float64 bytes plus 400 MB."""
    return 2 * 8 * n_parameters + 400 * MB


def _open_once(path: str, shot: str, env: dict) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak resident bytes) of one ``nnviz --open`` screenshot.

    The peak is the child's VmHWM, read from /proc while it runs: its ``ru_maxrss`` would
    start at this (bigger) process's peak, which Linux carries over to a child at exec."""
    cmd = [sys.executable, "-m", "nnviz", "--open", path, "--screenshot", shot,
           "--size", "1600x900"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while True:
        peak = max(peak, _high_water_mark(proc.pid))
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        time.sleep(0.01)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if proc.returncode != 0 or not os.path.getsize(shot):
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {err.strip()}")
    if not peak:  # no /proc: the kernel's figure (KiB on Linux)
        peak = usage.ru_maxrss * 1024
    return wall, usage.ru_utime + usage.ru_stime, peak


def _high_water_mark(pid: int) -> int:
    """The peak resident bytes of process ``pid`` so far (VmHWM), 0 if unknown."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def run(repeats: int = 2, networks=NETWORKS, log=print) -> dict:
    from ..core import Network, save_network

    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env["PYTHONPATH"] = os.pathsep.join([root, *filter(None, [env.get("PYTHONPATH")])])
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        env["XDG_CONFIG_HOME"] = tmp  # fresh settings
        for sizes in networks:
            name = "-".join(map(str, sizes))
            path = os.path.join(tmp, f"{name}.npz")
            net = Network(sizes, init="scaled", seed=0)
            n_parameters = net.n_parameters
            save_network(net, path)
            del net
            shot = os.path.join(tmp, f"{name}.png")
            runs = [_open_once(path, shot, env) for _ in range(repeats)]
            best = min(runs)
            peak = max(r[2] for r in runs)
            row = {"network": name, "parameters": n_parameters,
                   "file_mb": os.path.getsize(path) / MB,
                   "seconds": best[0], "cpu_seconds": best[1], "peak_mb": peak / MB,
                   "all_seconds": [r[0] for r in runs],
                   "target_seconds": TARGET_SECONDS,
                   "target_peak_mb": target_peak_bytes(n_parameters) / MB}
            row["met"] = row["seconds"] <= TARGET_SECONDS and \
                row["peak_mb"] <= row["target_peak_mb"]
            rows.append(row)
            os.remove(path)
    log(f"{'network':<22}{'parameters':>12}{'seconds':>9}{'(CPU)':>8}{'target':>8}"
        f"{'peak MB':>9}{'target':>8}")
    for r in rows:
        log(f"{r['network']:<22}{r['parameters']:>12,}{r['seconds']:>9.2f}"
            f"{r['cpu_seconds']:>8.2f}{r['target_seconds']:>8.1f}{r['peak_mb']:>9.0f}"
            f"{r['target_peak_mb']:>8.0f}  " + ("met" if r["met"] else "NOT met"))
    log(f"best of {repeats}; `nnviz --open FILE --screenshot PNG --size 1600x900`; wall-clock "
        "seconds depend on what else the machine runs, CPU seconds less so")
    return {"repeats": repeats, "networks": rows, "met": all(r["met"] for r in rows)}
