"""The core as a library: what a notebook imports from ``nnviz.core``, the py.typed marker, and
README's example, run as written so that it never goes stale."""

import re
import subprocess
import sys
from pathlib import Path

import nnviz
import nnviz.core as core

ROOT = Path(__file__).resolve().parents[2]


def _readme_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Using the core as a library", 1)[1].split("\n### ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert len(blocks) == 1
    return blocks[0]


def test_the_core_exports_what_a_notebook_needs():
    for name in ("Network", "Trainer", "TrainConfig", "Walk", "load_network", "save_network",
                 "check_gradient", "NetworkFileError", "train"):
        assert name in core.__all__ and hasattr(core, name), name
    from nnviz.core.netfile import load_network
    from nnviz.core.stepper import Walk

    assert core.Walk is Walk and core.load_network is load_network


def test_the_package_ships_a_py_typed_marker():
    marker = Path(nnviz.__file__).parent / "py.typed"
    assert marker.is_file()
    ignored = subprocess.run(["git", "check-ignore", "-q", str(marker)], cwd=ROOT)
    assert ignored.returncode == 1  # not ignored: hatch's wheel of "nnviz" takes it


def test_readme_example_runs_without_qt(tmp_path):
    code = _readme_example()
    assert "from nnviz.core import" in code and "Walk(" in code and "check_gradient(" in code
    check = code + ("\nimport sys\nassert not [m for m in sys.modules "
                    "if m.startswith(('PySide6', 'pyqtgraph'))]\n")
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    reason, accuracy = done.stdout.splitlines()[0].split()
    assert reason == "completed" and float(accuracy) > 0.7


def test_readme_states_the_two_recipes_and_the_delta_index():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Using the core as a library", 1)[1].split("\n### ", 1)[0]
    assert "`TrainConfig()`'s defaults are the articles' recipe" in section
    assert "TRAIN_DEFAULTS" in section and "`delta[l]` pairs with `weights[l-1]`" in section
    defaults = core.TrainConfig()
    assert (defaults.eta, defaults.batch_size, defaults.momentum) == (3.0, 10, 0.0)
    from nnviz.constants import TRAIN_DEFAULTS

    assert "η = 3" in section and f"η = {TRAIN_DEFAULTS['eta']}" in section
    assert f"batches of {TRAIN_DEFAULTS['batch']}" in section
