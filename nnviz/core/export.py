"""The numbers of the walk's current stage as a table, written as CSV or as a LaTeX tabular.

    table = stage_table(walk)        # Table(title, columns, rows, latex_columns, footer)
    to_csv(table)                    # every row, every float at full precision (repr)
    to_latex(table, max_rows=40)     # booktabs tabular, 4 significant digits; a long table
                                     # keeps its 40 largest rows (|δ|, |∂E/∂θ|) + "… n more"

What each stage's table holds (l the stage's layer, j a neuron of it, k a neuron of layer l−1):

    input      j, x_j
    forward    j, b^l_j, z^l_j, a^l_j
    error      j, a^L_j, y_j, (a^L − y)_j; footer E
    backward   j, z^l_j, [(a^L − y)_j at the output layer], [σ'(z^l_j)], δ^l_j; at the input
               (l = 0) j, x_j, δ^0_j = ∂E/∂x_j
    gradients  one row per parameter (per layer: b^l_j, then w^l_jk for each k):
               name, l, j, k, a^(l−1)_k, δ^l_j, ∂E/∂θ
               (∂E/∂w^l_jk = a^(l−1)_k δ^l_j, BP4; ∂E/∂b^l_j = δ^l_j, BP3; k and a are empty on
               bias rows)
    update     one row per parameter: name, l, j, k, θ before, ∂E/∂θ, θ after;
               footer η, E before, E after

σ'(z) appears where δ is σ'(z) times something: not through a softmax (no element-wise σ') and
not at the output with the cross-entropy or log-likelihood cost, where σ' cancels (as in
``equations``). It is the activation's own ``prime``, the function the core's backward pass
uses; every other number is read from the walk as it is (trace, gradients, parameters, costs).

CSV headers are ASCII (``z^1_j``, ``delta^2_j``, ``dE/dparameter``) so any spreadsheet reads them;
parameter names are ``w^2_10`` (w^l_jk) and ``b^2_1``, with a comma between indices when one has
several digits (``w^1_12,345``). numpy and the standard library only; never Qt.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field

import numpy as np

from .notation import parameter_name, significant
from .stepper import Walk

Cell = float | int | str

#: Rows of a LaTeX table before "… n more rows" (a slide holds fewer; the CSV has them all).
LATEX_MAX_ROWS = 40


@dataclass
class Table:
    """A stage's numbers. ``columns`` are the CSV headers (ASCII); ``latex_columns`` the same
    headers in LaTeX maths (defaults to the escaped CSV headers). ``rows`` hold ints (indices),
    floats (the walk's numbers) and str (parameter names; "" for an empty cell). ``footer``
    holds summary values after the rows as (csv label, LaTeX label, value), e.g. the cost E.
    ``latex_pairs`` are (column, column) indices whose numbers LaTeX writes with enough digits
    to tell them apart (a weight before and after a small update step). ``rank_column``: when
    a LaTeX table is cut to ``max_rows``, the rows kept are those with the largest |value| in
    this column (still in table order), e.g. the parameters with the largest ∂E/∂θ of an MNIST
    network rather than the first pixels' zeros; None keeps the first rows."""

    title: str
    columns: list[str]
    rows: list[list[Cell]]
    latex_columns: list[str] | None = None
    footer: list[tuple[str, str, float]] = field(default_factory=list)
    latex_pairs: list[tuple[int, int]] = field(default_factory=list)
    rank_column: int | None = None

    def column(self, name: str) -> list[Cell]:
        """The cells of the column with CSV header ``name`` (KeyError if there is none)."""
        try:
            i = self.columns.index(name)
        except ValueError:
            raise KeyError(name) from None
        return [row[i] for row in self.rows]


# -- the tables ------------------------------------------------------------------------------

def stage_table(walk: Walk) -> Table:
    """The numbers the walk's current stage shows, as a Table (see the module docstring)."""
    stage = walk.stage
    build = {"input": _input, "forward": _forward, "error": _error, "backward": _backward,
             "gradients": _gradients, "update": _update}[stage.kind]
    table = build(walk)
    table.title = stage.title
    if table.rank_column is None:
        table.rank_column = len(table.columns) - 1  # x, a, a − y, δ, ∂E/∂θ
    return table


def stage_file_stem(walk: Walk) -> str:
    """A file name (without suffix) for the current stage, numbered as the interface counts
    them ("Stage 4 of 10"): "stage-04-backward-2"."""
    s = walk.stage
    width = max(2, len(str(len(walk.stages))))
    layer = "" if s.layer is None else f"-{s.layer}"
    return f"stage-{walk.index + 1:0{width}d}-{s.kind}{layer}"


def _input(walk: Walk) -> Table:
    rows = [[j, float(v)] for j, v in enumerate(walk.x)]
    return Table("", ["j", "x_j"], rows, ["$j$", "$x_{j}$"])


def _forward(walk: Walk) -> Table:
    l = walk.stage.layer
    b, z, a = walk.params_before[1][l - 1], walk.trace.z[l], walk.trace.a[l]
    rows = [[j, float(b[j]), float(z[j]), float(a[j])] for j in range(len(z))]
    return Table("", ["j", f"b^{l}_j", f"z^{l}_j", f"a^{l}_j"], rows,
                 ["$j$", f"$b^{{{l}}}_{{j}}$", f"$z^{{{l}}}_{{j}}$", f"$a^{{{l}}}_{{j}}$"])


def _error(walk: Walk) -> Table:
    L = walk.L
    a, y, e = walk.trace.a[L], walk.y, walk.output_error
    rows = [[j, float(a[j]), float(y[j]), float(e[j])] for j in range(len(a))]
    return Table("", ["j", f"a^{L}_j", "y_j", f"(a^{L}-y)_j"], rows,
                 ["$j$", f"$a^{{{L}}}_{{j}}$", "$y_{j}$", f"$(a^{{{L}}}-y)_{{j}}$"],
                 footer=[("E", "$E$", float(walk.E_before))])


def _backward(walk: Walk) -> Table:
    l = walk.stage.layer
    if l == 0:  # δ⁰ = ∂E/∂x: no z, no σ'
        pairs = zip(walk.x, walk.grads.delta[0])
        rows = [[j, float(x), float(d)] for j, (x, d) in enumerate(pairs)]
        return Table("", ["j", "x_j", "delta^0_j"], rows,
                     ["$j$", "$x_{j}$", "$\\delta^{0}_{j}$"])
    z, delta = walk.trace.z[l], walk.grads.delta[l]
    columns, latex = ["j", f"z^{l}_j"], ["$j$", f"$z^{{{l}}}_{{j}}$"]
    parts = [z]
    if l == walk.L:
        columns.append(f"(a^{l}-y)_j")
        latex.append(f"$(a^{{{l}}}-y)_{{j}}$")
        parts.append(walk.output_error)
    if _prime_shown(walk, l):
        act = walk.net.activations[l - 1]
        columns.append(f"sigma'(z^{l}_j)")
        latex.append(f"$\\sigma'(z^{{{l}}}_{{j}})$")
        parts.append(np.asarray(act.prime(np.asarray(z)), dtype=float))
    columns.append(f"delta^{l}_j")
    latex.append(f"$\\delta^{{{l}}}_{{j}}$")
    parts.append(delta)
    rows = [[j, *(float(p[j]) for p in parts)] for j in range(len(z))]
    return Table("", columns, rows, latex)


def _prime_shown(walk: Walk, l: int) -> bool:
    """True when δ^l is σ'(z^l) times something, so σ'(z^l_j) is one of its factors."""
    act = walk.net.activations[l - 1]
    if act.couples_layer:
        return False
    return not (l == walk.L and walk.net.cost_name in ("cross-entropy", "log-likelihood"))


def _parameters(walk: Walk):
    """(name, l, j, k or "", index into b^l or w^l, is_bias) per parameter, layer by layer:
    b^l_j, then w^l_jk for k = 0 … n_(l−1)−1, for each neuron j."""
    for l in range(1, walk.L + 1):
        n, n_prev = walk.net.sizes[l], walk.net.sizes[l - 1]
        for j in range(n):
            yield parameter_name("b", l, j), l, j, "", j, True
            for k in range(n_prev):
                yield parameter_name("w", l, j, k), l, j, k, (j, k), False


def _gradients(walk: Walk) -> Table:
    rows = []
    for name, l, j, k, index, is_bias in _parameters(walk):
        delta = float(walk.grads.delta[l][j])
        if is_bias:
            rows.append([name, l, j, k, "", delta, float(walk.grads.biases[l - 1][index])])
        else:
            a = float(walk.trace.a[l - 1][k])
            rows.append([name, l, j, k, a, delta, float(walk.grads.weights[l - 1][index])])
    return Table("", ["parameter", "l", "j", "k", "a^(l-1)_k", "delta^l_j", "dE/dparameter"],
                 rows, ["", "$l$", "$j$", "$k$", "$a^{l-1}_{k}$", "$\\delta^{l}_{j}$",
                        "$\\partial E/\\partial\\theta$"])


def _update(walk: Walk) -> Table:
    (w0, b0), (w1, b1) = walk.params_before, walk.params_after
    rows = []
    for name, l, j, k, index, is_bias in _parameters(walk):
        before, after = (b0, b1) if is_bias else (w0, w1)
        grads = walk.grads.biases if is_bias else walk.grads.weights
        rows.append([name, l, j, k, float(before[l - 1][index]), float(grads[l - 1][index]),
                     float(after[l - 1][index])])
    return Table("", ["parameter", "l", "j", "k", "before", "dE/dparameter", "after"], rows,
                 ["", "$l$", "$j$", "$k$", "$\\theta$", "$\\partial E/\\partial\\theta$",
                  "$\\theta-\\eta\\,\\partial E/\\partial\\theta$"],
                 rank_column=5,  # ∂E/∂θ: the parameters that change most
                 footer=[("eta", "$\\eta$", float(walk.eta)),
                         ("E before", "$E$ before", float(walk.E_before)),
                         ("E after", "$E$ after", float(walk.E_after))],
                 latex_pairs=[(4, 6)])


# -- CSV -------------------------------------------------------------------------------------

def to_csv(table: Table) -> str:
    """The table as CSV text: the headers, every row, then the footer rows (label in the first
    column, value in the last). Floats are written with ``repr``, so ``float(cell)`` gives the
    walk's number back bit for bit. Lines end with "\\n" (write the text with newline="")."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    width = len(table.columns)
    for row in table.rows:
        writer.writerow([_csv_cell(c) for c in row])
    for label, _latex, value in table.footer:
        writer.writerow([label] + [""] * (width - 2) + [_csv_cell(value)])
    return out.getvalue()


def _csv_cell(cell: Cell) -> str:
    if isinstance(cell, str):
        return cell
    if isinstance(cell, (int, np.integer)) and not isinstance(cell, bool):
        return str(int(cell))
    return repr(float(cell))


# -- LaTeX -----------------------------------------------------------------------------------

def to_latex(table: Table, max_rows: int | None = LATEX_MAX_ROWS) -> str:
    """The table as a booktabs ``tabular`` (needs \\usepackage{booktabs}), the stage's title in
    a comment above it. Numbers have 4 significant digits in maths mode ($-0.1234$,
    $4.54\\times10^{-5}$), parameter names are maths ($w^{2}_{10}$), other text is escaped.
    At most ``max_rows`` rows (None: all; which ones: see ``Table.rank_column``); the rest
    become one "… n more rows" line."""
    width = len(table.columns)
    headers = table.latex_columns or [latex_escape(c) for c in table.columns]
    numeric = [any(not isinstance(row[i], str) for row in table.rows) or not table.rows
               for i in range(width)]
    spec = "".join("r" if n else "l" for n in numeric)
    shown = _kept_rows(table, max_rows)
    lines = [f"% {_comment(table.title)}" if table.title else "% nnviz stage table",
             "% needs \\usepackage{booktabs}",
             f"\\begin{{tabular}}{{{spec}}}",
             "\\toprule",
             " & ".join(headers) + " \\\\",
             "\\midrule"]
    lines += [" & ".join(_latex_row(row, table.latex_pairs)) + " \\\\" for row in shown]
    hidden = len(table.rows) - len(shown)
    if hidden:
        noun = "row" if hidden == 1 else "rows"
        which = ""
        if table.rank_column is not None:
            symbol = headers[table.rank_column].strip("$")
            which = f" with smaller $|{symbol}|$" if symbol else " with smaller values"
        lines.append(f"\\multicolumn{{{width}}}{{l}}{{\\dots\\ {hidden} more {noun}{which} "
                     f"(the CSV export has them all)}} \\\\")
    if table.footer:
        lines.append("\\midrule")
        for _label, latex_label, value in table.footer:
            cells = [latex_label] + [""] * (width - 2) + [_latex_number(value)]
            lines.append(" & ".join(cells) + " \\\\")
    lines += ["\\bottomrule", "\\end{tabular}"]
    return "\n".join(lines) + "\n"


def _kept_rows(table: Table, max_rows: int | None) -> list[list[Cell]]:
    """The rows a LaTeX table shows: all, the first ``max_rows``, or with a ``rank_column``
    the ``max_rows`` largest in size there, in table order."""
    rows = table.rows
    if max_rows is None or len(rows) <= max_rows:
        return rows
    n, c = max(0, int(max_rows)), table.rank_column
    if c is None:
        return rows[:n]

    def size(i: int) -> float:
        v = rows[i][c]
        return 0.0 if isinstance(v, str) or math.isnan(float(v)) else abs(float(v))

    keep = sorted(sorted(range(len(rows)), key=lambda i: (-size(i), i))[:n])
    return [rows[i] for i in keep]


_LATEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                  "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                  "^": r"\textasciicircum{}"}
_PARAMETER = re.compile(r"^([wb])\^(\d+)_(\d+(?:,\d+)?)$")


def latex_escape(text: str) -> str:
    """``text`` with LaTeX's special characters escaped (& % $ # _ { } ~ ^ \\)."""
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in str(text))


def _comment(text: str) -> str:
    return " ".join(str(text).split())  # one line, whatever the title holds


def _latex_row(row: list[Cell], pairs: list[tuple[int, int]]) -> list[str]:
    cells = [_latex_cell(c) for c in row]
    for i, k in pairs:
        a, b = row[i], row[k]
        if isinstance(a, float) and isinstance(b, float):
            for digits in range(4, 13):  # as few digits as tell them apart, at most 12
                cells[i], cells[k] = latex_number(a, digits), latex_number(b, digits)
                if cells[i] != cells[k] or a == b:
                    break
    return cells


def _latex_cell(cell: Cell) -> str:
    if isinstance(cell, str):
        m = _PARAMETER.match(cell)
        if m:
            return f"${m[1]}^{{{m[2]}}}_{{{m[3]}}}$"
        return latex_escape(cell)
    if isinstance(cell, (int, np.integer)) and not isinstance(cell, bool):
        return str(int(cell))
    return _latex_number(cell)


def latex_number(value: float, digits: int = 4) -> str:
    """``value`` in LaTeX maths with 4 significant digits: "$-0.1234$", "$4.54\\times10^{-5}$",
    "$0$". A value that is not whole but would round to a whole number gets more digits (up to
    8), as on screen: 0.9999546 → "$0.99995$"."""
    v = float(value)
    if v == 0:
        return "$0$"
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "$\\infty$" if v > 0 else "$-\\infty$"
    text, exponent = significant(v, digits)
    if exponent is not None:
        text = f"{text}\\times10^{{{exponent}}}"
    return f"${text}$"


_latex_number = latex_number
