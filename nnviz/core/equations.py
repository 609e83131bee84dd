"""The equations panel: the formula of the walk's current stage with its numbers filled in.

    explain(walk)                         # the current stage, a sensible neuron
    explain(walk, ("neuron", 2, 1))       # neuron j = 1 of layer l = 2 (layer 0 = the input)
    explain(walk, ("edge", 2, 1, 0))      # the weight w²₁₀ (neuron 0 of layer 1 → neuron 1)
    explain(walk, ("bias", 2, 1))         # the bias b²₁

Notation is the articles' (``notation``): w^l_jk joins neuron k of layer l−1 to neuron j of
layer l, written with Unicode super- and subscripts as w²₁₀ (indices of more than one digit are
separated by a comma: w¹₁₂,₃₄₅); z^l = w^l a^(l−1) + b^l, a^l = σ(z^l), δ^l = ∂E/∂z^l and
BP1–BP4. Numbers have 4 significant digits (``notation.fmt``). Every number shown is read from
the walk (its trace, gradients, parameters and costs) or is a product/sum of such numbers
written out in the formula; nothing is recomputed another way. σ'(z) is the activation's own
``prime`` — the function the core's backward pass uses.

Sums with more than ``formulas.MAX_TERMS`` terms (784 inputs, 10 outputs) show the 4 largest
terms in size, then "+ … (780 more, sum s)", then the total (``formulas.sum_lines``).

numpy and the standard library only; never Qt. ``Explanation.html`` produces the rich-text
subset a Qt label understands (<b>, <i>, <sup>, <sub>, <br>, <p>, <span style=…>), with
``formula_html``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .formula_html import explanation_html
from .formulas import activation_line, factor, prime_line, product, sum_lines
from .notation import fmt, fmt_pair, sub, symbol
from .stepper import Walk

#: Vectors with at most this many entries are written out in full (a⁰ = x = (1, 0)).
MAX_VECTOR = 10

_STEP_REASON = ("The step unit's derivative is 0 everywhere it exists, so δ = 0: no gradient "
                "flows back through this neuron and gradient descent cannot change the weights "
                "feeding it — the articles' reason for replacing threshold units with the "
                "smooth sigmoid neuron.")


# -- the explanation ------------------------------------------------------------------------

@dataclass(frozen=True)
class Explanation:
    """What the equations panel shows for one stage of a walk.

    heading : e.g. "Forward pass, layer 2 · neuron 1".
    lines : the formula lines, plain Unicode; continuation lines start with spaces and "=".
    sentence : one plain-language sentence.
    focus : what was explained, as ("neuron", l, j), ("edge", l, j, k) or ("bias", l, j) — the
            given focus or the default chosen for the stage (for the view to highlight).
    """

    heading: str
    lines: tuple[str, ...]
    sentence: str
    focus: tuple | None = None

    def text(self) -> str:
        """Plain text: the heading, the formula lines, then the sentence."""
        return "\n".join([self.heading, *self.lines, self.sentence])

    def html(self) -> str:
        """The same as Qt rich text: a bold heading, formula lines with real <sup>/<sub>
        indices and the remark after a formula in grey, the sentence in italics. Every piece
        of text is HTML-escaped."""
        return explanation_html(self.heading, self.lines, self.sentence)


def explain(walk: Walk, focus: tuple | None = None) -> Explanation:
    """Explain the walk's current stage, for ``focus`` where it applies.

    focus : None, ("neuron", l, j) with 0 ≤ l ≤ L (l = 0 the input), ("edge", l, j, k) for
            w^l_jk or ("bias", l, j) for b^l_j with 1 ≤ l ≤ L. A focus outside the stage's
            layer is replaced by a default: the neuron with the largest |z| (forward; the
            largest a for the output), |a − y| (error) or |δ| (backward), and the output neuron
            with the largest |δ| for the gradients and update stages.
    Raises ValueError for a malformed focus or indices outside the network.
    """
    focus = _check_focus(walk, focus)
    stage = walk.stage
    if stage.kind == "input":
        return _input(walk, focus)
    if stage.kind == "forward":
        return _forward(walk, stage.layer, focus)
    if stage.kind == "error":
        return _error(walk, focus)
    if stage.kind == "backward":
        return _backward(walk, stage.layer, focus)
    if stage.kind == "gradients":
        return _gradients(walk, focus)
    return _update(walk, focus)


def _check_focus(walk: Walk, focus) -> tuple | None:
    if focus is None:
        return None
    sizes, L = walk.net.sizes, walk.L
    try:
        kind, *idx = focus
        idx = [int(i) for i in idx]
    except (TypeError, ValueError):
        raise ValueError(f"focus must be ('neuron', l, j), ('edge', l, j, k) or ('bias', l, j),"
                         f" got {focus!r}") from None
    arity = {"neuron": 2, "edge": 3, "bias": 2}
    if kind not in arity or len(idx) != arity[kind]:
        raise ValueError(f"focus must be ('neuron', l, j), ('edge', l, j, k) or ('bias', l, j),"
                         f" got {focus!r}")
    l, j = idx[0], idx[1]
    low = 0 if kind == "neuron" else 1
    if not low <= l <= L:
        raise ValueError(f"focus layer must be between {low} and {L}, got {l}")
    if not 0 <= j < sizes[l]:
        raise ValueError(f"layer {l} has neurons 0 … {sizes[l] - 1}, got {j}")
    if kind == "edge" and not 0 <= idx[2] < sizes[l - 1]:
        raise ValueError(f"layer {l - 1} has neurons 0 … {sizes[l - 1] - 1}, got {idx[2]}")
    return (kind, *idx)


def _neuron_in(focus, layer: int) -> int | None:
    """The neuron of ``layer`` the focus points at (an edge or bias points at neuron j)."""
    if focus is not None and focus[1] == layer:
        return focus[2]
    return None


def _argmax_abs(values) -> int:
    return int(np.argmax(np.abs(np.asarray(values))))


# -- the stages -----------------------------------------------------------------------------

def _input(walk: Walk, focus) -> Explanation:
    x = walk.trace.a[0]
    n = len(x)
    lines = []
    if n <= MAX_VECTOR:
        lines.append("a⁰ = x = (" + ", ".join(fmt(v) for v in x) + ")")
    else:
        nonzero = int(np.count_nonzero(x))
        lines.append(f"a⁰ = x: {n} values from {fmt(x.min())} to {fmt(x.max())}, "
                     f"{nonzero} of them not 0")
    j = _neuron_in(focus, 0)
    if j is None and n > MAX_VECTOR:  # point at one pixel of a big input
        j = _argmax_abs(x)
    if j is not None:
        lines.append(f"{symbol('a', 0, j)} = {symbol('x', None, j)} = {fmt(x[j])}")
    heading = "Input" + (f" · neuron {j}" if j is not None else "")
    return Explanation(
        heading, tuple(lines),
        "The input layer computes nothing: each input neuron j simply passes its value xⱼ "
        "on to every neuron of layer 1.",
        ("neuron", 0, j) if j is not None else None)


def _forward(walk: Walk, l: int, focus) -> Explanation:
    z, a = walk.trace.z[l], walk.trace.a[l]
    j = _neuron_in(focus, l)
    if j is None:
        j = int(np.argmax(a)) if l == walk.L else _argmax_abs(z)
    w, b = walk.params_before[0][l - 1][j], walk.params_before[1][l - 1][j]
    a_prev = walk.trace.a[l - 1]
    terms = [(f"{symbol('w', l, j, k)} {symbol('a', l - 1, k)}", product(w[k], a_prev[k]),
              float(w[k] * a_prev[k])) for k in range(len(a_prev))]
    keep = focus[3] if focus is not None and focus[0] == "edge" and focus[1] == l else None
    lines = sum_lines(symbol("z", l, j), terms, (symbol("b", l, j), factor(b)), z[j], keep)
    lines.append(activation_line(walk, l, j))
    act = walk.net.activations[l - 1].name
    squash = {"linear": "passes the total on unchanged",
              "step": "fires (1) if the total is at least 0, else outputs 0",
              "softmax": "turns the layer's totals into probabilities with the softmax"}
    how = squash.get(act, f"passes the total through the {act} function")
    return Explanation(
        f"Forward pass, layer {l} · neuron {j}", tuple(lines),
        f"Neuron {j} of layer {l} adds up the activations of layer {l - 1}, each times the "
        f"weight of its connection, adds its bias, and {how}.",
        ("neuron", l, j))


def _error(walk: Walk, focus) -> Explanation:
    L, cost = walk.L, walk.net.cost_name
    a, y = walk.trace.a[L], walk.y
    diff = walk.output_error
    j = _neuron_in(focus, L)
    if j is None:
        j = _argmax_abs(diff)
    n = len(a)

    def aL(i) -> str:
        return symbol("a", L, i)

    def yj(i) -> str:
        return symbol("y", None, i)

    if cost == "quadratic":
        lines = [f"E = ½ Σⱼ ({symbol('a', L, 'j')} − yⱼ)²"]
        terms = [(f"½({aL(i)} − {yj(i)})²", f"½({fmt(a[i])} − {fmt(y[i])})²",
                  float(0.5 * (a[i] - y[i]) ** 2)) for i in range(n)]
        lines += sum_lines("E", terms, None, walk.E_before, keep=j)
        what = "half the squared distance between the output and the target"
    elif cost == "cross-entropy":
        lines = [f"E = −Σⱼ [yⱼ ln {aL('j')} + (1 − yⱼ) ln(1 − {aL('j')})]"]
        terms = []
        for i in range(n):
            if y[i] == 1:
                s, num = f"−ln {aL(i)}", f"−ln {fmt(a[i])}"
            elif y[i] == 0:
                s, num = f"−ln(1 − {aL(i)})", f"−ln(1 − {fmt(a[i])})"
            else:
                s = f"−[{yj(i)} ln {aL(i)} + (1 − {yj(i)}) ln(1 − {aL(i)})]"
                num = f"−[{fmt(y[i])} ln {fmt(a[i])} + {fmt(1 - y[i])} ln(1 − {fmt(a[i])})]"
            value = float(walk.net.cost_function.fn(a[i:i + 1], y[i:i + 1]))
            terms.append((s, num, value))
        lines += sum_lines("E", terms, None, walk.E_before, keep=j)
        what = "the cross-entropy between the outputs and the targets"
    else:  # log-likelihood
        label = int(np.argmax(y))
        if np.array_equal(y, np.eye(n)[label]):
            lines = [f"E = −Σⱼ yⱼ ln {symbol('a', L, 'j')} = −ln {aL(label)}   (y is one-hot: "
                     f"only y{sub(label)} = 1)",
                     f"  = −ln {fmt(a[label])} = {fmt(walk.E_before)}"]
        else:
            lines = [f"E = −Σⱼ yⱼ ln {symbol('a', L, 'j')}"]
            terms = [(f"−{yj(i)} ln {aL(i)}", f"−{factor(y[i])} ln {fmt(a[i])}",
                      float(walk.net.cost_function.fn(a[i:i + 1], y[i:i + 1])))
                     for i in range(n)]
            lines += sum_lines("E", terms, None, walk.E_before, keep=j)
        what = "minus the log of the probability the network gives the right answer"
    lines.append(f"{aL(j)} − {yj(j)} = {fmt(a[j])} − {fmt(y[j])} = {fmt(diff[j])}")
    if diff[j] == 0:
        side = f"output {j} hits its target exactly"
    else:
        side = f"output {j} is too {'high' if diff[j] > 0 else 'low'} by {fmt(abs(diff[j]))}"
    return Explanation(
        f"Error ({cost} cost) · output {j}", tuple(lines),
        f"The cost E = {fmt(walk.E_before)} is {what}; {side}.",
        ("neuron", L, j))


def _backward(walk: Walk, l: int, focus) -> Explanation:
    delta = walk.grads.delta[l]
    j = _neuron_in(focus, l)
    if j is None:
        j = _argmax_abs(delta)
    if l == 0:
        lines, sentence = _input_gradient(walk, j)
        heading = f"Backward pass, input (∂E/∂x) · neuron {j}"
    elif l == walk.L:
        lines, sentence = _bp1(walk, j)
        heading = f"Backward pass, layer {l} (BP1) · neuron {j}"
    else:
        lines, sentence = _bp2(walk, l, j)
        heading = f"Backward pass, layer {l} (BP2) · neuron {j}"
    return Explanation(heading, tuple(lines), sentence, ("neuron", l, j))


def _bp1(walk: Walk, j: int) -> tuple[list[str], str]:
    L = walk.L
    act, cost = walk.net.activations[-1], walk.net.cost_name
    a, y, d = walk.trace.a[L], walk.y, walk.grads.delta[L]
    ds, As, ys = symbol("δ", L, j), symbol("a", L, j), symbol("y", None, j)
    if cost in ("cross-entropy", "log-likelihood"):
        lines = [f"{ds} = ∂E/∂{symbol('z', L, j)} = {As} − {ys}   (BP1; the σ'(z) factor "
                 "cancels)",
                 f"{' ' * len(ds)} = {fmt(a[j])} − {fmt(y[j])} = {fmt(d[j])}"]
        pair = "sigmoid" if cost == "cross-entropy" else "softmax"
        return lines, (f"With the {cost} cost and a {pair} output the σ'(z) factor cancels, so "
                       f"δ is just output minus target and a saturated wrong output still "
                       f"learns fast.")
    if act.name == "softmax":  # quadratic cost through the softmax Jacobian
        s = float(np.sum((a - y) * a))
        lines = [f"{ds} = {As} [({As} − {ys}) − Σₖ ({symbol('a', L, 'k')} − yₖ) "
                 f"{symbol('a', L, 'k')}]   (BP1 through the softmax)",
                 f"Σₖ ({symbol('a', L, 'k')} − yₖ) {symbol('a', L, 'k')} = {fmt(s)}",
                 f"{ds} = {fmt(a[j])} · [({fmt(a[j])} − {fmt(y[j])}) − {factor(s)}] = {fmt(d[j])}"]
        return lines, ("Every softmax output depends on every z, so the output error is mixed "
                       "through the softmax before it becomes δ.")
    slope_line, prime = prime_line(walk, L, j)
    lines = [f"{ds} = ∂E/∂{symbol('z', L, j)} = ({As} − {ys}) σ'({symbol('z', L, j)})   (BP1)",
             slope_line,
             f"{ds} = ({fmt(a[j])} − {fmt(y[j])}) · {factor(prime)} = {fmt(d[j])}"]
    if act.name == "step":
        return lines, _STEP_REASON
    return lines, (f"δ says how much the cost changes when z of output {j} changes: the output "
                   f"error a − y times how steeply the activation responds there, σ'(z).")


def _bp2(walk: Walk, l: int, j: int) -> tuple[list[str], str]:
    w_next = walk.params_before[0][l]  # w^(l+1), shape (n_(l+1), n_l)
    d_next, d = walk.grads.delta[l + 1], walk.grads.delta[l]
    ds, zs = symbol("δ", l, j), symbol("z", l, j)
    terms = [(f"{symbol('w', l + 1, i, j)} {symbol('δ', l + 1, i)}",
              product(w_next[i, j], d_next[i]), float(w_next[i, j] * d_next[i]))
             for i in range(len(d_next))]
    s = float(w_next[:, j] @ d_next)
    lines = [f"{ds} = (Σᵢ {symbol('w', l + 1, 'i', j)} {symbol('δ', l + 1, 'i')}) σ'({zs})"
             "   (BP2)"]
    lines += sum_lines(f"Σᵢ {symbol('w', l + 1, 'i', j)} {symbol('δ', l + 1, 'i')}", terms,
                       None, s)
    slope_line, prime = prime_line(walk, l, j)
    lines.append(slope_line)
    lines.append(f"{ds} = {factor(s)} · {factor(prime)} = {fmt(d[j])}")
    if walk.net.activations[l - 1].name == "step":
        return lines, _STEP_REASON
    if not np.any(d_next):
        return lines, (f"No error reaches neuron {j}: every δ of layer {l + 1} is 0, so "
                       f"there is nothing to pass back (a step unit above blocks the gradient).")
    return lines, (f"Neuron {j} of layer {l} collects the errors δ of layer {l + 1}, each "
                   f"weighted by the connection it feeds, and scales the total by its own "
                   f"slope σ'(z).")


def _input_gradient(walk: Walk, j: int) -> tuple[list[str], str]:
    """δ⁰ⱼ = ∂E/∂xⱼ = Σᵢ w¹ᵢⱼ δ¹ᵢ: BP2 down to the input, with no σ'(z) (a⁰ = x)."""
    w1 = walk.params_before[0][0]  # w¹, shape (n_1, n_0)
    d1, d0 = walk.grads.delta[1], walk.grads.delta[0]
    ds = symbol("δ", 0, j)
    terms = [(f"{symbol('w', 1, i, j)} {symbol('δ', 1, i)}", product(w1[i, j], d1[i]),
              float(w1[i, j] * d1[i])) for i in range(len(d1))]
    sum_sym = f"Σᵢ {symbol('w', 1, 'i', j)} {symbol('δ', 1, 'i')}"
    lines = [f"{ds} = ∂E/∂{symbol('x', None, j)} = {sum_sym}   (BP2 without σ': a⁰ = x)"]
    lines += sum_lines(sum_sym, terms, None, float(w1[:, j] @ d1))
    lines.append(f"{ds} = {fmt(d0[j])}")
    x = walk.trace.a[0][j]
    if d0[j] == 0:
        effect = f"input {j} has no effect on E here: nudging it changes nothing"
    else:
        way = "raises" if d0[j] > 0 else "lowers"
        effect = (f"raising input {j} (now {fmt(x)}) by a small ε {way} E by about "
                  f"{fmt(abs(d0[j]))} · ε")
    return lines, (f"The error reaches the input itself: the input passes x on unchanged, so "
                   f"δ⁰ = (w¹)ᵀ δ¹ with no slope σ'(z); {effect}. On an image these are the "
                   f"pixels that would change the answer most.")


def _default_param_neuron(walk: Walk, focus) -> tuple:
    if focus is not None:
        return focus
    return ("neuron", walk.L, _argmax_abs(walk.grads.delta[walk.L]))


def _largest(values, count: int) -> list[int]:
    order = np.argsort(-np.abs(np.asarray(values)), kind="stable")
    return [int(i) for i in order[:count]]


def _grad_w_line(walk: Walk, l: int, j: int, k: int) -> str:
    a_prev, d = walk.trace.a[l - 1][k], walk.grads.delta[l][j]
    g = walk.grads.weights[l - 1][j, k]
    return f"∂E/∂{symbol('w', l, j, k)} = {product(a_prev, d)} = {fmt(g)}"


def _gradients(walk: Walk, focus) -> Explanation:
    focus = _default_param_neuron(walk, focus)
    kind, l, j = focus[0], focus[1], focus[2]
    if kind == "edge":
        k = focus[3]
        lines = [f"∂E/∂{symbol('w', l, j, k)} = {symbol('a', l - 1, k)} {symbol('δ', l, j)}"
                 "   (BP4)", _grad_w_line(walk, l, j, k)]
        return Explanation(
            f"Gradients · weight {symbol('w', l, j, k)}", tuple(lines),
            "The gradient of a weight is the activation at its input end times the δ at its "
            "output end: nudging the weight by a small ε changes E by about that gradient "
            "times ε.", focus)
    if kind == "bias":
        g = walk.grads.biases[l - 1][j]
        lines = [f"∂E/∂{symbol('b', l, j)} = {symbol('δ', l, j)} = {fmt(g)}   (BP3)"]
        return Explanation(
            f"Gradients · bias {symbol('b', l, j)}", tuple(lines),
            "A bias acts like a weight from a neuron that always sends 1, so its gradient is "
            "just the neuron's δ.", focus)
    if l == 0:  # an input neuron: the gradients of the weights leaving it
        col = walk.grads.weights[0][:, j]
        lines = [f"∂E/∂{symbol('w', 1, 'j', j)} = {symbol('a', 0, j)} {symbol('δ', 1, 'j')}"
                 "   (BP4)" + (", the largest:" if len(col) > 3 else "")]
        shown = _largest(col, 3)
        lines += [_grad_w_line(walk, 1, i, j) for i in shown]
        if len(col) > len(shown):
            lines.append(f"… ({len(col) - len(shown)} more)")
        return Explanation(
            f"Gradients · input neuron {j}", tuple(lines),
            f"An input has no weights of its own; its value {fmt(walk.trace.a[0][j])} scales "
            f"the gradients of the weights leaving it (an input of 0 leaves them at 0).", focus)
    row = walk.grads.weights[l - 1][j]
    lines = [f"∂E/∂{symbol('b', l, j)} = {symbol('δ', l, j)} = "
             f"{fmt(walk.grads.biases[l - 1][j])}   (BP3)",
             f"∂E/∂{symbol('w', l, j, 'k')} = {symbol('a', l - 1, 'k')} {symbol('δ', l, j)}"
             "   (BP4)" + (", the largest:" if len(row) > 3 else "")]
    shown = _largest(row, 3)
    lines += [_grad_w_line(walk, l, j, k) for k in shown]
    if len(row) > len(shown):
        lines.append(f"… ({len(row) - len(shown)} more)")
    return Explanation(
        f"Gradients (BP3, BP4) · layer {l}, neuron {j}", tuple(lines),
        "Each weight's gradient is the activation at its input end times the δ at its output "
        "end, so weights from strongly active neurons into neurons with a large δ change most.",
        focus)


def _update_line(name: str, before: float, grad: float, after: float, eta: float) -> list[str]:
    return [f"{name} ← {name} − η ∂E/∂{name}",
            f"{' ' * len(name)} = {fmt(before)} − {fmt(eta)} · {factor(grad)} = {fmt(after)}"]


def _update(walk: Walk, focus) -> Explanation:
    focus = _default_param_neuron(walk, focus)
    (w0, b0), (w1, b1) = walk.params_before, walk.params_after
    gw, gb, eta = walk.grads.weights, walk.grads.biases, walk.eta
    kind, l, j = focus[0], focus[1], focus[2]
    lines: list[str] = []
    if kind == "edge":
        k = focus[3]
        lines += _update_line(symbol("w", l, j, k), w0[l - 1][j, k], gw[l - 1][j, k],
                              w1[l - 1][j, k], eta)
        heading = f"Update · weight {symbol('w', l, j, k)}"
    elif kind == "bias":
        lines += _update_line(symbol("b", l, j), b0[l - 1][j], gb[l - 1][j], b1[l - 1][j], eta)
        heading = f"Update · bias {symbol('b', l, j)}"
    elif l == 0:
        i = _largest(gw[0][:, j], 1)[0]
        lines += _update_line(symbol("w", 1, i, j), w0[0][i, j], gw[0][i, j], w1[0][i, j], eta)
        heading = f"Update · input neuron {j}"
    else:
        lines += _update_line(symbol("b", l, j), b0[l - 1][j], gb[l - 1][j], b1[l - 1][j], eta)
        k = _largest(gw[l - 1][j], 1)[0]
        lines += _update_line(symbol("w", l, j, k), w0[l - 1][j, k], gw[l - 1][j, k],
                              w1[l - 1][j, k], eta)
        heading = f"Update · layer {l}, neuron {j}"
    before, after = fmt_pair(walk.E_before, walk.E_after)
    lines.append(f"E = {before} → {after}   (η = {fmt(eta)})")
    if walk.E_after < walk.E_before:
        result = f"the cost for this example falls from {before} to {after}"
    elif walk.E_after > walk.E_before:
        result = (f"but the cost rises from {before} to {after}: η = {fmt(eta)} is too large "
                  f"a step")
    elif not any(np.any(g) for g in (*gw, *gb)):
        result = f"here every gradient is 0, so nothing moves and the cost stays at {before}"
    else:
        result = f"the cost stays at {before}"
    return Explanation(
        heading, tuple(lines),
        f"Gradient descent moves every weight and bias a small step against its gradient, "
        f"scaled by the learning rate η; {result}.", focus)
