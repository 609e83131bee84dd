"""Packaging guarantees: no Qt in the core, the PySide6 pin, the README/CI commands in sync."""

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(code: str, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=timeout, cwd=ROOT)


def test_core_data_cli_and_bench_never_import_qt():
    out = _run("""
        import sys
        import nnviz, nnviz.core, nnviz.data, nnviz.cli, nnviz.bench
        import nnviz.bench.train_bench, nnviz.bench.fidelity, nnviz.core.netfile
        from nnviz.cli import main
        try:
            main(["train", "--batch", "0"])
        except SystemExit as exc:
            assert exc.code == 2
        qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6",
                                                                   "pyqtgraph"))
        print("QT:", qt)
    """)
    assert "QT: []" in out.stdout, out.stdout + out.stderr


def test_pyside6_pin_excludes_the_none_dealloc_release():
    text = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'"PySide6-Essentials[^"]*<6\.12"', text)
    import PySide6

    version = tuple(int(p) for p in PySide6.__version__.split(".")[:2])
    assert version < (6, 12), f"PySide6 {PySide6.__version__} is installed"


def test_thousands_of_qt_calls_returning_none_do_not_abort():
    """PySide6 6.12.0 on Python 3.11 drops a reference to None on each such call and aborts
    with 'Fatal Python error: none_dealloc' after a few thousand: run 50,000 in a child."""
    out = _run("""
        import os
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtCore import QObject
        from PySide6.QtWidgets import QApplication, QWidget
        app = QApplication([])
        w, o = QWidget(), QObject()
        for i in range(25000):
            w.setWindowTitle("t")      # returns None
            o.setObjectName("n")       # returns None
        print("survived")
    """, timeout=300)
    assert out.returncode == 0 and "survived" in out.stdout, out.stderr[-2000:]


def test_readme_test_command_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    test_cmd = next(b for b in blocks if "pytest" in b)
    app_cmd = next(b for b in blocks if ".venv/bin/nnviz" in b)
    ci = (ROOT / ".ci" / "run").read_text()
    assert test_cmd.strip() in ci
    assert "'.[test]'" in test_cmd and "pip install" in app_cmd


def test_pyproject_declares_entry_point_and_extras():
    text = (ROOT / "pyproject.toml").read_text()
    assert 'nnviz = "nnviz.cli:main"' in text
    assert re.search(r'test = \[.*"pytest.*"pytest-qt', text)
    for dep in ("PySide6-Essentials", "pyqtgraph", "numpy"):
        assert f'"{dep}' in text


def test_bundled_mnist_files_and_attribution():
    folder = ROOT / "assets" / "mnist"
    names = {p.name for p in folder.glob("*.gz")}
    assert names == {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                     "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}
    text = (folder / "README.md").read_text()
    assert "LeCun" in text and "Cortes" in text and "Burges" in text and "CC BY-SA 3.0" in text


@pytest.mark.parametrize("path", ["nnviz/core", "nnviz/data"])
def test_no_qt_import_statements_in_model_packages(path):
    for file in (ROOT / path).rglob("*.py"):
        text = file.read_text()
        assert not re.search(r"^\s*(from|import)\s+(PySide6|pyqtgraph|shiboken6)", text, re.M), file
        assert "pickle" not in text or "allow_pickle=False" in text, file


#: The Qt modules of the PySide6-Essentials wheel (the full PySide6 adds the "Addons").
ESSENTIALS = {"QtCore", "QtGui", "QtWidgets", "QtSvg", "QtSvgWidgets", "QtOpenGL",
              "QtOpenGLWidgets", "QtNetwork", "QtPrintSupport", "QtConcurrent", "QtDBus",
              "QtXml", "QtTest", "QtSql", "QtUiTools", "QtHelp", "QtDesigner", "QtQml",
              "QtQuick", "QtQuickControls2", "QtQuickWidgets", "QtQuickTest"}


def test_only_qt_modules_of_the_essentials_wheel_are_used():
    used = set()
    for file in (ROOT / "nnviz").rglob("*.py"):
        used |= set(re.findall(r"PySide6\.(Qt\w+)", file.read_text()))
    assert used and used <= ESSENTIALS, sorted(used - ESSENTIALS)


def test_every_image_readme_links_exists_and_is_small():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", readme)
    assert len(links) >= 5
    for link in links:
        path = ROOT / link
        assert path.is_file(), link
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", link
    shots = list((ROOT / "assets" / "screenshots").glob("*.png"))
    assert sum(p.stat().st_size for p in shots) < 1_000_000  # a few hundred KB in all


def test_the_screenshots_command_makes_every_picture_readme_shows():
    from nnviz.cli import build_parser

    args = build_parser().parse_args(["screenshots", "somewhere"])
    assert args.command == "screenshots" and args.folder == "somewhere"
    text = (ROOT / "nnviz" / "ui" / "app" / "screenshots.py").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for link in re.findall(r"\(assets/screenshots/([\w.-]+\.png)\)", readme):
        assert f'"{link}"' in text, link  # made by the command, not by hand
