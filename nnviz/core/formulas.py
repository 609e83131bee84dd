"""Pieces of the equations panel's formulas, with the walk's numbers filled in: products, sums
written out term by term (shortened when long), and the lines for a = σ(z) and σ'(z).

    product(2, -3) == "2 · (−3)"
    sum_lines("z²₁", [("w²₁₀ a¹₀", product(2, 1), 2.0)], ("b²₁", factor(-1)), 1.0)
    # ["z²₁ = w²₁₀ a¹₀ + b²₁", "    = 2 · 1 + (−1)", "    = 1"]

Sums with more than ``MAX_TERMS`` terms (784 inputs, 10 outputs) show the ``SHOWN_TERMS``
largest terms in size, then "+ … (780 more, sum s)", then the total. Numbers are ``fmt``'s.
numpy and the standard library only; never Qt.
"""

from __future__ import annotations

import numpy as np

from .notation import fmt, symbol
from .stepper import Walk

#: Sums with more terms than this are shortened to the ``SHOWN_TERMS`` largest.
MAX_TERMS = 5
SHOWN_TERMS = 4


def factor(value) -> str:
    """fmt(value), in parentheses when negative (so that 2 · (−3) reads right):
    factor(-3) == "(−3)", factor(0.5) == "0.5"."""
    text = fmt(value)
    return f"({text})" if text.startswith("−") else text


def product(*values) -> str:
    """The values as factors of a product: product(2, -3) == "2 · (−3)"."""
    return " · ".join(factor(v) for v in values)


def sum_lines(lhs: str, terms: list[tuple[str, str, float]], tail: tuple[str, str] | None,
              total: float, keep: int | None = None) -> list[str]:
    """Lines "lhs = s₁ + s₂ + … [+ tail]", "    = n₁ + n₂ + …", "    = total".

    terms : (symbol, numbers, value) per term, in index order. If there are more than
    MAX_TERMS, the SHOWN_TERMS largest |value| are shown (always including index ``keep``),
    largest first, then "… (n more, sum s)". tail : (symbol, number) added last, e.g. the bias.
    """
    n = len(terms)
    shown = list(range(n))
    more = ""
    if n > MAX_TERMS:
        order = sorted(range(n), key=lambda i: -abs(terms[i][2]))
        shown = order[:SHOWN_TERMS]
        if keep is not None and keep not in shown:
            shown[-1] = keep
        hidden = set(range(n)) - set(shown)
        rest = [terms[i][2] for i in sorted(hidden)]
        more = f"… ({len(rest)} more, sum {fmt(sum(rest))})"
    syms = [terms[i][0] for i in shown] + (["…"] if more else [])
    nums = [terms[i][1] for i in shown] + ([more] if more else [])
    if tail is not None:
        syms.append(tail[0])
        nums.append(tail[1])
    pad = " " * (len(lhs) + 1)
    return [f"{lhs} = " + join_terms(syms), f"{pad}= " + join_terms(nums),
            f"{pad}= {fmt(total)}"]


def join_terms(terms: list[str]) -> str:
    """Terms joined by " + ", or " − " before a term that starts with a minus sign:
    join_terms(["1", "−2", "3"]) == "1 − 2 + 3"."""
    out = terms[0]
    for t in terms[1:]:
        out += f" − {t[1:]}" if t.startswith("−") else f" + {t}"
    return out


# -- activations: a = σ(z) and σ'(z) as text ------------------------------------------------

_ACT_TEXT = {
    "sigmoid": "σ is the sigmoid 1/(1 + e⁻ᶻ)",
    "tanh": "σ is tanh",
    "relu": "σ is the ReLU max(0, z)",
    "leaky-relu": "σ is the leaky ReLU: z for z > 0, else αz",
    "linear": "σ is linear: σ(z) = z",
    "step": "σ is the step: 1 if z ≥ 0, else 0",
    "softmax": "σ is the softmax e^(zⱼ) / Σₖ e^(zₖ)",
}


def activation_line(walk: Walk, l: int, j: int) -> str:
    """The line "aˡⱼ = σ(zˡⱼ) = σ(z) = a   (what σ is)" of neuron j of layer l."""
    act = walk.net.activations[l - 1]
    z, a = walk.trace.z[l][j], walk.trace.a[l][j]
    zs, As = symbol("z", l, j), symbol("a", l, j)
    if act.name == "softmax":
        return (f"{As} = e^({zs}) / Σₖ e^({symbol('z', l, 'k')}) = {fmt(a)}"
                "   (σ is the softmax: the outputs add up to 1)")
    if act.name == "linear":
        return f"{As} = σ({zs}) = {zs} = {fmt(a)}   ({_ACT_TEXT['linear']})"
    if act.name == "step":
        why = "z ≥ 0" if z >= 0 else "z < 0"
        return f"{As} = σ({zs}) = step({fmt(z)}) = {fmt(a)}, as {why}   ({_ACT_TEXT['step']})"
    note = _ACT_TEXT.get(act.name, f"σ is {act.name}")
    if act.name == "leaky-relu":
        note = note.replace("α", fmt(act.alpha))
    return f"{As} = σ({zs}) = σ({fmt(z)}) = {fmt(a)}   ({note})"


def prime_line(walk: Walk, l: int, j: int) -> tuple[str, float]:
    """The line "σ'(zˡⱼ) = … = value" for an element-wise activation, and the value."""
    act = walk.net.activations[l - 1]
    z, a = walk.trace.z[l][j], walk.trace.a[l][j]
    value = float(act.prime(np.asarray(z)))
    head = f"σ'({symbol('z', l, j)})"
    if act.name == "sigmoid":
        text = f"σ(z)(1 − σ(z)) = {fmt(a)} · (1 − {fmt(a)}) = {fmt(value)}"
    elif act.name == "tanh":
        text = f"1 − tanh²(z) = 1 − {factor(a)}² = {fmt(value)}"
    elif act.name == "relu":
        text = "1, as z > 0" if z > 0 else "0, as z ≤ 0 (the ReLU is flat there)"
    elif act.name == "leaky-relu":
        text = "1, as z > 0" if z > 0 else f"{fmt(value)}, as z ≤ 0"
    elif act.name == "linear":
        text = "1 (σ(z) = z)"
    elif act.name == "step":
        text = "0: the step is flat on both sides of 0 (and has no derivative at 0)"
    else:  # an activation nnviz does not describe in words
        text = fmt(value)
    return f"{head} = {text}", value
