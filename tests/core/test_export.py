"""Stage tables (nnviz.core.export): the CSV gives back the walk's own numbers bit for bit; the
LaTeX is a well-formed booktabs tabular with 4 significant digits."""

import csv
import io
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest

from nnviz.core import Network
from nnviz.core.export import (
    Table,
    latex_escape,
    latex_number,
    parameter_name,
    stage_file_stem,
    stage_table,
    to_csv,
    to_latex,
)
from nnviz.core.presets import get_preset
from nnviz.core.stepper import Walk


def preset_walk(key: str, eta: float = 0.5) -> Walk:
    p = get_preset(key)
    return Walk(p.build(), p.example, p.target, eta=eta)


def small_walk(sizes, activation, cost, seed=3) -> Walk:
    net = Network(sizes, activation, cost, seed=seed)
    rng = np.random.default_rng(seed)
    y = np.zeros(sizes[-1])
    y[0] = 1.0
    return Walk(net, rng.uniform(0, 1, sizes[0]), y, eta=0.3)


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def expected(walk: Walk):
    """(header prefix, rows, footer) of the current stage, read straight from the walk."""
    s, L = walk.stage, walk.L
    if s.kind == "input":
        return [[j, v] for j, v in enumerate(walk.x)], []
    if s.kind == "forward":
        l = s.layer
        b, z, a = walk.params_before[1][l - 1], walk.trace.z[l], walk.trace.a[l]
        return [[j, b[j], z[j], a[j]] for j in range(len(z))], []
    if s.kind == "error":
        a = walk.trace.a[L]
        return ([[j, a[j], walk.y[j], a[j] - walk.y[j]] for j in range(len(a))],
                [("E", walk.E_before)])
    if s.kind == "backward" and s.layer == 0:  # ∂E/∂x = (w¹)ᵀ δ¹
        d0 = walk.params_before[0][0].T @ walk.grads.delta[1]
        return [[j, walk.x[j], d0[j]] for j in range(len(d0))], []
    if s.kind == "backward":
        l = s.layer
        z, d = walk.trace.z[l], walk.grads.delta[l]
        act = walk.net.activations[l - 1]
        output = l == L
        prime = not act.couples_layer and not (
            output and walk.net.cost_name in ("cross-entropy", "log-likelihood"))
        rows = []
        for j in range(len(z)):
            row = [j, z[j]]
            if output:
                row.append(walk.trace.a[L][j] - walk.y[j])
            if prime:
                row.append(act.prime(np.asarray(z))[j])
            rows.append(row + [d[j]])
        return rows, []
    rows = []
    for l in range(1, L + 1):
        for j in range(walk.net.sizes[l]):
            name = parameter_name("b", l, j)
            if s.kind == "gradients":
                rows.append([name, l, j, "", "", walk.grads.delta[l][j],
                             walk.grads.biases[l - 1][j]])
            else:
                rows.append([name, l, j, "", walk.params_before[1][l - 1][j],
                             walk.grads.biases[l - 1][j], walk.params_after[1][l - 1][j]])
            for k in range(walk.net.sizes[l - 1]):
                name = parameter_name("w", l, j, k)
                if s.kind == "gradients":
                    rows.append([name, l, j, k, walk.trace.a[l - 1][k], walk.grads.delta[l][j],
                                 walk.grads.weights[l - 1][j, k]])
                else:
                    rows.append([name, l, j, k, walk.params_before[0][l - 1][j, k],
                                 walk.grads.weights[l - 1][j, k],
                                 walk.params_after[0][l - 1][j, k]])
    footer = [] if s.kind == "gradients" else [
        ("eta", walk.eta), ("E before", walk.E_before), ("E after", walk.E_after)]
    return rows, footer


def assert_cell(parsed: str, value) -> None:
    if isinstance(value, str):
        assert parsed == value
    elif isinstance(value, (int, np.integer)):
        assert parsed == str(value)
    else:
        assert float(parsed) == float(value)  # bit for bit: repr round-trips


WALKS = {
    "running-example": lambda: preset_walk("running-example"),
    "xor": lambda: preset_walk("xor"),
    "2-3-1 cross-entropy": lambda: preset_walk("2-3-1"),
    "softmax, quadratic": lambda: small_walk([3, 4, 3], ["tanh", "softmax"], "quadratic"),
    "relu, log-likelihood": lambda: small_walk([4, 3, 2], ["relu", "softmax"], "log-likelihood"),
}


@pytest.mark.parametrize("name", list(WALKS))
def test_csv_gives_back_every_number_of_every_stage(name):
    walk = WALKS[name]()
    kinds = set()
    for i in range(len(walk.stages)):
        walk.go(i)
        kinds.add(walk.stage.kind)
        table = stage_table(walk)
        assert table.title == walk.stage.title
        parsed = parse(to_csv(table))
        assert parsed[0] == table.columns
        rows, footer = expected(walk)
        assert len(parsed) == 1 + len(rows) + len(footer)
        for got, want in zip(parsed[1:], rows):
            assert len(got) == len(want) == len(table.columns)
            for cell, value in zip(got, want):
                assert_cell(cell, value)
        for got, (label, value) in zip(parsed[1 + len(rows):], footer):
            assert got[0] == label and all(c == "" for c in got[1:-1])
            assert float(got[-1]) == value
    assert kinds == {"input", "forward", "error", "backward", "gradients", "update"}


def test_backward_columns_show_sigma_prime_only_where_it_is_a_factor():
    def columns(walk, layer):
        walk.go(walk.stages.index(next(s for s in walk.stages
                                       if s.kind == "backward" and s.layer == layer)))
        return stage_table(walk).columns

    walk = preset_walk("running-example")  # sigmoid, quadratic: δ³ = (a³ − y) σ'(z³)
    assert columns(walk, 3) == ["j", "z^3_j", "(a^3-y)_j", "sigma'(z^3_j)", "delta^3_j"]
    assert columns(walk, 1) == ["j", "z^1_j", "sigma'(z^1_j)", "delta^1_j"]
    ce = preset_walk("2-3-1")  # cross-entropy: σ' cancels at the output, stays in BP2
    assert columns(ce, 2) == ["j", "z^2_j", "(a^2-y)_j", "delta^2_j"]
    assert "sigma'(z^1_j)" in columns(ce, 1)
    soft = WALKS["softmax, quadratic"]()  # no element-wise σ' for the softmax
    assert columns(soft, 2) == ["j", "z^2_j", "(a^2-y)_j", "delta^2_j"]


def test_gradient_rows_are_a_times_delta_as_the_walk_holds_them():
    walk = preset_walk("running-example")
    walk.go(len(walk.stages) - 2)
    table = stage_table(walk)
    names = table.column("parameter")
    assert names[:4] == ["b^1_0", "w^1_00", "b^1_1", "w^1_10"]
    assert len(names) == sum(n * (m + 1) for m, n in zip(walk.net.sizes, walk.net.sizes[1:]))
    with pytest.raises(KeyError):
        table.column("nothing")


# -- LaTeX -----------------------------------------------------------------------------------

def body_rows(latex: str) -> list[str]:
    """The table's rows (header, data, footer), without rules and the "more rows" line."""
    inner = latex.split("\\begin{tabular}", 1)[1].split("\\end{tabular}", 1)[0]
    return [line for line in inner.splitlines()[1:]
            if line.endswith("\\\\") and "\\multicolumn" not in line]


def assert_well_formed(latex: str, table: Table) -> None:
    assert latex.count("\\begin{tabular}") == latex.count("\\end{tabular}") == 1
    code = "\n".join(line for line in latex.splitlines() if not line.startswith("%"))
    depth = 0
    for ch in re.sub(r"\\[{}]", "", code):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0
    assert depth == 0
    assert code.count("$") % 2 == 0
    assert latex.index("\\toprule") < latex.index("\\midrule") < latex.index("\\bottomrule")
    spec = re.search(r"\\begin\{tabular\}\{([lr]+)\}", latex).group(1)
    assert len(spec) == len(table.columns)
    for row in body_rows(latex):
        assert row.count("&") - row.count("\\&") == len(table.columns) - 1, row


@pytest.mark.parametrize("name", list(WALKS))
def test_latex_is_a_well_formed_tabular_for_every_stage(name):
    walk = WALKS[name]()
    for i in range(len(walk.stages)):
        walk.go(i)
        table = stage_table(walk)
        latex = to_latex(table)
        assert_well_formed(latex, table)
        assert latex.startswith(f"% {table.title}\n")
        rows = body_rows(latex)
        header = rows[0]
        assert header == " & ".join(table.latex_columns) + " \\\\"
        shown = min(len(table.rows), 40)
        assert len(rows) == 1 + shown + len(table.footer)
        assert len(table.rows) <= 40  # so the rows shown are all the rows, in order
        for row, cells in zip(rows[1:], table.rows):
            for cell in cells:
                if isinstance(cell, float) and table.latex_pairs == []:
                    assert latex_number(cell) in row


def test_latex_headers_are_maths_in_the_articles_notation():
    walk = preset_walk("running-example")
    walk.go(1)
    assert "$z^{1}_{j}$" in to_latex(stage_table(walk))
    walk.go(6)  # backward, layer 2
    assert "$\\delta^{2}_{j}$" in to_latex(stage_table(walk))
    walk.go(8)  # backward, the input: δ⁰ = ∂E/∂x
    assert "$x_{j}$ & $\\delta^{0}_{j}$" in to_latex(stage_table(walk))
    walk.go(9)  # gradients
    latex = to_latex(stage_table(walk))
    assert "$\\partial E/\\partial\\theta$" in latex and "$w^{2}_{01}$" in latex
    walk.go(4)  # error: E under a rule
    latex = to_latex(stage_table(walk))
    assert f"$E$ &  &  & {latex_number(walk.E_before)} \\\\" in latex


def test_latex_limits_big_layers_and_the_csv_keeps_every_row():
    walk = small_walk([30, 20, 3], "sigmoid", "quadratic")
    walk.go(len(walk.stages) - 1)  # update: 30·20 + 20 + 20·3 + 3 parameters
    table = stage_table(walk)
    assert len(table.rows) == 683
    latex = to_latex(table, max_rows=40)
    rows = body_rows(latex)
    assert len(rows) == 1 + 40 + 3
    assert ("\\multicolumn{7}{l}{\\dots\\ 643 more rows with smaller "
            "$|\\partial E/\\partial\\theta|$ (the CSV export has them all)} \\\\") in latex
    # The 40 parameters with the largest |∂E/∂θ|, in table order (not the first 40 rows).
    sizes = np.abs([row[5] for row in table.rows])
    kept = sorted(np.argsort(-sizes, kind="stable")[:40])
    shown_ljk = [r.split(" & ")[1:4] for r in rows[1:41]]
    assert shown_ljk == [[str(c) for c in table.rows[i][1:4]] for i in kept]
    assert min(sizes[kept]) >= max(np.delete(sizes, kept))
    assert_well_formed(latex, table)
    assert len(parse(to_csv(table))) == 1 + 683 + 3
    assert len(body_rows(to_latex(table, max_rows=None))) == 1 + 683 + 3
    assert "1 more row with" in to_latex(table, max_rows=682)
    table.rank_column = None  # the first rows
    assert body_rows(to_latex(table, max_rows=2))[1].startswith("$b^{1}_{0}$ & 1 & 0 &  & ")


def test_latex_numbers_have_4_significant_digits():
    assert latex_number(0.731058) == "$0.7311$"
    assert latex_number(-0.12344) == "$-0.1234$"
    assert latex_number(4.54e-05) == "$4.54\\times10^{-5}$"
    assert latex_number(123456.0) == "$1.235\\times10^{5}$"
    assert latex_number(-0.0) == latex_number(0) == "$0$"
    assert latex_number(0.9999546) == "$0.99995$"  # not "1": saturated, not exactly 1
    assert latex_number(-10) == "$-10$"
    assert latex_number(float("inf")) == "$\\infty$"


def test_update_rows_show_enough_digits_to_see_the_change():
    walk = preset_walk("running-example", eta=1e-4)
    walk.go(len(walk.stages) - 1)
    latex = to_latex(stage_table(walk), max_rows=None)
    row = next(r for r in body_rows(latex) if r.startswith("$w^{1}_{00}$"))
    cells = [c.strip() for c in row.rstrip("\\ ").split("&")]
    assert cells[4] == "$0.8$" and cells[6].startswith("$0.80000")  # w = 0.8 − η ∂E/∂w


def test_special_characters_are_escaped():
    assert latex_escape("a_b & 50% #1 {x} ~ ^ $ \\") == (
        "a\\_b \\& 50\\% \\#1 \\{x\\} \\textasciitilde{} \\textasciicircum{} \\$ "
        "\\textbackslash{}")
    table = Table("two\nlines & 100%", ["name_1", "x&y"], [["a_b", 1.5], ["w^1_12,345", 2.0]])
    latex = to_latex(table)
    assert latex.startswith("% two lines & 100%\n")
    assert "name\\_1 & x\\&y \\\\" in latex
    assert "a\\_b & $1.5$ \\\\" in latex and "$w^{1}_{12,345}$ & $2$ \\\\" in latex
    assert_well_formed(latex, table)


def test_parameter_names_and_file_stems():
    assert parameter_name("w", 2, 1, 0) == "w^2_10"
    assert parameter_name("w", 1, 12, 345) == "w^1_12,345"
    assert parameter_name("b", 3, 4) == "b^3_4"
    walk = preset_walk("running-example")
    walk.go(6)  # "Stage 7 of 11" in the interface
    assert stage_file_stem(walk) == "stage-07-backward-2"
    walk.go(8)
    assert stage_file_stem(walk) == "stage-09-backward-0"
    walk.go(9)
    assert stage_file_stem(walk) == "stage-10-gradients"


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_latex_compiles_with_pdflatex(tmp_path):
    walk = preset_walk("running-example")
    body = []
    for i in range(len(walk.stages)):
        walk.go(i)
        body.append(to_latex(stage_table(walk), max_rows=6) + "\n\\bigskip\n")
    doc = ("\\documentclass{article}\n\\usepackage{booktabs}\n\\begin{document}\n"
           + "".join(body) + "\\end{document}\n")
    (tmp_path / "t.tex").write_text(doc, encoding="utf-8")
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "t.tex"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stdout[-2000:]
    assert (tmp_path / "t.pdf").exists()


def test_core_export_does_not_import_qt():
    code = "import sys, nnviz.core.export; print('PySide6' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
