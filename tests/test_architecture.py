"""The shape of the code, kept true by reading its imports (README: How the code is organised).

- Layers: constants ← data ← core ← worker ← ui ← app launcher ← bench ← cli; a layer imports
  only the layers before it (and itself).
- The UI's features (graph, inspector, stepping, training, drawing, constructions, files,
  landscape) import only ui/model, ui/look and their own package; ui/look imports nothing
  else of ui; ui/model imports no feature; only ui/app wires features together.
- No import cycle between any two modules (imports inside functions count too).
- No module over 500 lines.
- The Qt-free packages have no Qt import statement.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "nnviz"
MAX_LINES = 500

#: Each top-level part and the parts it may import (besides itself).
LAYERS = {
    "constants": set(),
    "data": {"constants"},
    "core": {"constants", "data"},
    "worker": {"constants", "data", "core"},
    "ui": {"constants", "data", "core", "worker"},
    "app": {"constants", "data", "core", "ui"},  # nnviz/app.py: starts the window
    "bench": {"constants", "data", "core", "worker", "ui", "app"},
    "cli": {"constants", "data", "core", "worker", "app", "bench"},
    "__main__": {"cli"},
}
FEATURES = {"graph", "inspector", "stepping", "training", "drawing", "constructions", "files",
            "landscape"}
QT = ("PySide6", "shiboken6", "pyqtgraph")
QT_FREE = ("constants", "data", "core", "worker")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> set[str]:
    """Every module name ``path`` imports, at any depth of its code, resolved to absolute
    names; ``from X import y`` counts as X and as X.y (y may be a module)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def own_imports(name: str) -> set[str]:
    """The nnviz modules ``name`` imports (names that are attributes, not modules, dropped)."""
    out = set()
    for target in imports(MODULES[name]):
        while target and target not in MODULES:
            target = target.rpartition(".")[0]
        if target and target != name and target != "nnviz":
            out.add(target)
    return out


GRAPH = {name: own_imports(name) for name in MODULES}


def part(name: str) -> str:
    """The layer of a module: nnviz.core.network → core, nnviz.app → app."""
    return name.split(".")[1] if "." in name else "nnviz"


def ui_part(name: str) -> str | None:
    """The UI package of a module: nnviz.ui.graph.view → graph; None outside ui/."""
    bits = name.split(".")
    return bits[2] if len(bits) > 3 and bits[1] == "ui" else None


def test_every_part_imports_only_the_layers_below_it():
    wrong = [(name, target) for name, targets in GRAPH.items() if part(name) in LAYERS
             for target in targets
             if part(target) not in LAYERS[part(name)] | {part(name), "nnviz"}]
    assert not wrong, "\n".join(f"{a} imports {b}" for a, b in wrong)


def test_ui_features_import_only_the_model_the_look_and_themselves():
    wrong = []
    for name, targets in GRAPH.items():
        mine = ui_part(name)
        for target in targets:
            theirs = ui_part(target)
            if mine is None or theirs is None or theirs == mine:
                continue
            allowed = {"model", "look"} if mine in FEATURES else \
                {"look"} if mine == "model" else set() if mine == "look" else None
            if allowed is not None and theirs not in allowed:
                wrong.append((name, target))
    assert not wrong, "\n".join(f"{a} imports {b}" for a, b in wrong)


def test_there_is_no_import_cycle():
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in GRAPH:
        if v not in index:
            visit(v)
    assert not cycles, cycles


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_500_lines(name):
    lines = len(MODULES[name].read_text().splitlines())
    assert lines <= MAX_LINES, f"{name}: {lines} lines"


def test_the_qt_free_parts_import_no_qt():
    wrong = [name for name, path in MODULES.items() if part(name) in QT_FREE
             and any(i.split(".")[0] in QT for i in imports(path))]
    assert not wrong


def test_the_rules_are_checked_on_real_imports():
    """The reader must see what is there, or the tests above prove nothing."""
    assert "nnviz.core.network" in GRAPH["nnviz.core.training"]
    assert "nnviz.ui.model.document" in GRAPH["nnviz.ui.graph.view"]
    assert "nnviz.ui.look.style" in GRAPH["nnviz.ui.graph.view"]
    assert "nnviz.data.dataset" in GRAPH["nnviz.core.presets"]
    assert {"nnviz.ui.graph.view", "nnviz.ui.inspector.panel"} <= \
        GRAPH["nnviz.ui.app.main_window"]
    assert "nnviz.ui.drawing.digit_browser" in GRAPH["nnviz.ui.drawing.controller"]  # lazy
    assert any(i.startswith("PySide6") for i in imports(MODULES["nnviz.ui.model.document"]))
