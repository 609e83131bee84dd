"""The equations panel's texts: the right formula, with the walk's numbers, in the articles'
notation."""

import itertools
import math
import re

import numpy as np
import pytest

from nnviz.core import Network
from nnviz.core.equations import Explanation, explain
from nnviz.core.notation import fmt, sub, symbol
from nnviz.core.presets import get_preset
from nnviz.core.stepper import Walk


def sigma(z):
    return 1.0 / (1.0 + math.exp(-z))


def g4(v):
    """4 significant digits with a real minus sign: how the panel writes ordinary numbers."""
    return f"{v:.4g}".replace("-", "−")


def at(walk, kind, layer=None):
    for i, s in enumerate(walk.stages):
        if s.kind == kind and s.layer == layer:
            walk.go(i)
            return walk
    raise AssertionError(f"no stage {kind} {layer}")


@pytest.fixture
def chain():
    return Walk(get_preset("chain").build(), [1.0], [0.0], eta=0.5)


# By hand: the chain preset with x = 1, y = 0 (w = 2, 1.5, 2.5; b = −1, −0.5, −1).
Z1 = 2 * 1 - 1
A1 = sigma(Z1)
Z2 = 1.5 * A1 - 0.5
A2 = sigma(Z2)
Z3 = 2.5 * A2 - 1
A3 = sigma(Z3)
E = 0.5 * A3**2
P3, P2, P1 = A3 * (1 - A3), A2 * (1 - A2), A1 * (1 - A1)
D3 = A3 * P3
D2 = 2.5 * D3 * P2
D1 = 1.5 * D2 * P1


# -- formatting ----------------------------------------------------------------------------------

@pytest.mark.parametrize("value,text", [
    (0.7310585786, "0.7311"), (-10, "−10"), (20.0, "20"), (0, "0"), (-0.0, "0"),
    (4.5397868e-05, "4.54×10⁻⁵"), (-2.0676e-09, "−2.068×10⁻⁹"), (1234567, "1.235×10⁶"),
    (0.9999546, "0.99995"), (1.00004, "1.00004"), (0.5, "0.5"), (float("inf"), "∞"),
])
def test_fmt(value, text):
    assert fmt(value) == text


def test_symbols():
    assert symbol("w", 2, 1, 0) == "w²₁₀"
    assert symbol("a", 0, 3) == "a⁰₃"
    assert symbol("δ", 3, 0) == "δ³₀"
    assert symbol("w", 1, 12, 345) == "w¹₁₂,₃₄₅"
    assert symbol("z", 10, "k") == "z¹⁰ₖ"
    assert sub("j", "k") == "ⱼₖ"


# -- the chain preset, stage by stage -------------------------------------------------------

def test_chain_input(chain):
    e = explain(chain)
    assert e.heading.startswith("Input")
    assert "a⁰ = x = (1)" in e.lines
    assert "passes" in e.sentence
    assert e.text() == "\n".join([e.heading, *e.lines, e.sentence])


def test_chain_forward(chain):
    e = explain(at(chain, "forward", 1))
    assert e.heading == "Forward pass, layer 1 · neuron 0"
    assert e.lines[:3] == ("z¹₀ = w¹₀₀ a⁰₀ + b¹₀", "    = 2 · 1 + (−1)", "    = 1")
    assert e.lines[3].startswith(f"a¹₀ = σ(z¹₀) = σ(1) = {g4(A1)}")
    assert g4(A1) == "0.7311" and "sigmoid" in e.lines[3]
    assert e.focus == ("neuron", 1, 0)

    e = explain(at(chain, "forward", 3))
    assert e.lines[1] == f"    = 2.5 · {g4(A2)} + (−1)"
    assert e.lines[2] == f"    = {g4(Z3)}"
    assert f"σ({g4(Z3)}) = {g4(A3)}" in e.lines[3]


def test_chain_error(chain):
    e = explain(at(chain, "error"))
    assert "quadratic" in e.heading
    assert "E = ½ Σⱼ (a³ⱼ − yⱼ)²" in e.lines
    assert f"  = ½({g4(A3)} − 0)²" in e.lines
    assert f"  = {g4(E)}" in e.lines
    assert f"a³₀ − y₀ = {g4(A3)} − 0 = {g4(A3)}" in e.lines
    assert g4(E) == "0.2102" and "too high" in e.sentence


def test_chain_bp1(chain):
    e = explain(at(chain, "backward", 3))
    assert "BP1" in e.heading
    text = e.text()
    assert "δ³₀ = ∂E/∂z³₀ = (a³₀ − y₀) σ'(z³₀)   (BP1)" in text
    assert f"σ'(z³₀) = σ(z)(1 − σ(z)) = {g4(A3)} · (1 − {g4(A3)}) = {g4(P3)}" in text
    assert f"δ³₀ = ({g4(A3)} − 0) · {g4(P3)} = {g4(D3)}" in text


def test_chain_bp2(chain):
    e = explain(at(chain, "backward", 2))
    assert "BP2" in e.heading
    assert e.lines[0] == "δ²₀ = (Σᵢ w³ᵢ₀ δ³ᵢ) σ'(z²₀)   (BP2)"
    assert e.lines[1] == "Σᵢ w³ᵢ₀ δ³ᵢ = w³₀₀ δ³₀"
    assert e.lines[2].endswith(f"= 2.5 · {g4(D3)}")
    assert e.lines[3].endswith(f"= {g4(2.5 * D3)}")
    assert f"σ'(z²₀) = σ(z)(1 − σ(z)) = {g4(A2)} · (1 − {g4(A2)}) = {g4(P2)}" in e.lines
    assert e.lines[-1] == f"δ²₀ = {g4(2.5 * D3)} · {g4(P2)} = {g4(D2)}"
    e = explain(at(chain, "backward", 1))
    assert e.lines[-1] == f"δ¹₀ = {g4(1.5 * D2)} · {g4(P1)} = {g4(D1)}"


def test_chain_gradients(chain):
    at(chain, "gradients")
    e = explain(chain, ("edge", 2, 0, 0))
    assert e.heading == "Gradients · weight w²₀₀"
    assert e.lines == ("∂E/∂w²₀₀ = a¹₀ δ²₀   (BP4)",
                       f"∂E/∂w²₀₀ = {g4(A1)} · {g4(D2)} = {g4(A1 * D2)}")
    e = explain(chain, ("bias", 1, 0))
    assert e.lines == (f"∂E/∂b¹₀ = δ¹₀ = {g4(D1)}   (BP3)",)
    e = explain(chain)  # default: the output neuron
    assert e.focus == ("neuron", 3, 0)
    assert f"∂E/∂b³₀ = δ³₀ = {g4(D3)}   (BP3)" in e.lines
    assert f"∂E/∂w³₀₀ = {g4(A2)} · {g4(D3)} = {g4(A2 * D3)}" in e.lines
    e = explain(chain, ("neuron", 0, 0))  # the input: the weights leaving it
    assert f"∂E/∂w¹₀₀ = 1 · {g4(D1)} = {g4(D1)}" in e.lines


def test_chain_update(chain):
    at(chain, "update")
    e = explain(chain, ("edge", 3, 0, 0))
    assert e.lines[0] == "w³₀₀ ← w³₀₀ − η ∂E/∂w³₀₀"
    assert e.lines[1].endswith(f"= 2.5 − 0.5 · {g4(A2 * D3)} = {g4(2.5 - 0.5 * A2 * D3)}")
    assert e.lines[2].startswith(f"E = {g4(chain.E_before)} → {g4(chain.E_after)}")
    assert "E = 0.2102 → 0.1889" in e.text()
    assert "falls" in e.sentence
    e = explain(chain, ("bias", 1, 0))
    assert e.lines[1].endswith(f"= −1 − 0.5 · {g4(D1)} = {g4(-1 - 0.5 * D1)}")
    e = explain(chain)
    assert "b³₀ ← b³₀ − η ∂E/∂b³₀" in e.lines and "w³₀₀ ← w³₀₀ − η ∂E/∂w³₀₀" in e.lines


def test_update_says_when_E_rises():
    walk = at(Walk(get_preset("chain").build(), [1.0], [0.5], eta=50.0), "update")
    assert walk.E_after > walk.E_before
    assert "too large" in explain(walk).sentence


# -- xor and the running example ---------------------------------------------------------------

def test_xor_numbers():
    walk = Walk(get_preset("xor").build(), [1, 0], [1])
    assert "a⁰ = x = (1, 0)" in explain(walk).lines
    e = explain(at(walk, "forward", 1), ("neuron", 1, 1))
    assert e.lines[0] == "z¹₁ = w¹₁₀ a⁰₀ + w¹₁₁ a⁰₁ + b¹₁"
    assert e.lines[1] == "    = (−20) · 1 + (−20) · 0 + 30"
    assert e.lines[2] == "    = 10"
    # σ(10) = 0.9999546 would round to "1" at 4 digits; the panel shows that it is not 1.
    assert "σ(10) = 0.99995" in e.lines[3]
    a1 = sigma(10)
    z2 = 20 * a1 + 20 * a1 - 30
    e = explain(at(walk, "forward", 2))
    assert e.lines[1] == "    = 20 · 0.99995 + 20 · 0.99995 + (−30)"
    assert e.lines[2] == f"    = {g4(z2)}"
    d2 = (sigma(z2) - 1) * sigma(z2) * (1 - sigma(z2))
    e = explain(at(walk, "backward", 2))
    assert g4(d2) == "−2.068e−09" and e.lines[-1].endswith("= −2.068×10⁻⁹")
    e = explain(at(walk, "backward", 1), ("neuron", 1, 1))
    assert e.lines[1] == "Σᵢ w²ᵢ₁ δ²ᵢ = w²₀₁ δ²₀"
    assert g4(20 * d2 * a1 * (1 - a1)) == "−1.878e−12"
    assert e.lines[-1].endswith("= −1.878×10⁻¹²")


def test_running_example_neuron_4_collects_from_6_and_7():
    walk = Walk(get_preset("running-example").build(), [0.5], [1.0])
    a = walk.trace.a
    e = explain(at(walk, "forward", 2), ("neuron", 2, 1))
    # No edge from neuron 3 to neuron 7: w²₁₀ = 0.
    assert e.lines[1] == f"    = 0 · {g4(a[1][0])} + 1.1 · {g4(a[1][1])} + 0.2"
    e = explain(at(walk, "backward", 1), ("neuron", 1, 1))
    d = walk.grads.delta
    assert e.lines[1] == "Σᵢ w²ᵢ₁ δ²ᵢ = w²₀₁ δ²₀ + w²₁₁ δ²₁"
    assert e.lines[2].endswith(f"= (−0.7) · ({g4(d[2][0])}) + 1.1 · {g4(d[2][1])}")
    assert g4(d[2][0]).startswith("−")
    s = -0.7 * d[2][0] + 1.1 * d[2][1]
    assert e.lines[3].endswith(f"= {g4(s)}")
    assert e.lines[-1] == f"δ¹₁ = {g4(s)} · {g4(a[1][1] * (1 - a[1][1]))} = {g4(d[1][1])}"


# -- defaults and focus --------------------------------------------------------------------------

def test_default_neurons():
    walk = Walk(get_preset("running-example").build(), [0.5], [1.0])
    at(walk, "forward", 1)
    assert explain(walk).focus == ("neuron", 1, int(np.argmax(np.abs(walk.trace.z[1]))))
    at(walk, "backward", 2)
    assert explain(walk).focus == ("neuron", 2, int(np.argmax(np.abs(walk.grads.delta[2]))))
    # A focus in another layer falls back to the stage's default.
    assert explain(walk, ("neuron", 3, 0)).focus == explain(walk).focus
    assert explain(walk, ("edge", 2, 1, 0)).focus == ("neuron", 2, 1)
    net = Network([3, 4, 5], seed=2)
    walk = at(Walk(net, [0.1, 0.2, 0.3], np.zeros(5)), "forward", 2)
    assert explain(walk).focus == ("neuron", 2, int(np.argmax(walk.trace.a[2])))


@pytest.mark.parametrize("focus", [
    ("neuron", 4, 0), ("neuron", 1, 2), ("edge", 0, 0, 0), ("edge", 1, 0, 1), ("bias", 0, 0),
    ("weight", 1, 0), ("neuron", 1), ("edge", 1, 0), "neuron", 3, ("neuron", "a", 0),
])
def test_bad_focus_raises(focus):
    walk = Walk(get_preset("running-example").build(), [0.5], [1.0])
    with pytest.raises(ValueError, match="focus|layer"):
        explain(walk, focus)


# -- big layers are shortened ------------------------------------------------------------------

def test_784_inputs_show_the_four_largest_terms():
    net = Network([784, 3, 10], seed=0, init="scaled")
    x = np.random.default_rng(1).uniform(0, 1, 784)
    walk = Walk(net, x, np.eye(10)[3])
    e = explain(at(walk, "forward", 1), ("neuron", 1, 2))
    w = walk.params_before[0][0][2]
    terms = w * x
    top = sorted(range(784), key=lambda k: -abs(terms[k]))[:4]
    rest = sum(terms[k] for k in range(784) if k not in top)
    assert e.lines[0] == ("z¹₂ = " + " + ".join(f"{symbol('w', 1, 2, k)} {symbol('a', 0, k)}"
                                                 for k in top) + " + … + b¹₂")
    assert "… (780 more, sum " in e.lines[1] and f"sum {g4(rest)})" in e.lines[1]
    assert e.lines[1].count(" · ") == 4
    assert e.lines[2].endswith(f"= {g4(walk.trace.z[1][2])}")
    # A focused edge is always among the terms shown.
    small = int(np.argmin(np.abs(terms)))
    e = explain(walk, ("edge", 1, 2, small))
    assert symbol("w", 1, 2, small) in e.lines[0] and "(780 more" in e.lines[1]
    # The input stage summarises the image instead of listing 784 values.
    assert "784 values" in explain(at(walk, "input")).text()
    # 10 outputs: the error's sum and BP2's sum are shortened too.
    assert "(6 more, sum" in explain(at(walk, "error")).text()
    assert "(6 more, sum" in explain(at(walk, "backward", 1)).text()
    assert "(781 more)" in explain(at(walk, "gradients"), ("neuron", 1, 0)).text()


# -- costs and activations -----------------------------------------------------------------------

def test_cross_entropy_bp1_cancels_sigma_prime():
    walk = Walk(get_preset("2-3-1").build(), [0.5, 0.5], [1.0])
    e = explain(at(walk, "backward", 2))
    a, d = walk.trace.a[2][0], walk.grads.delta[2][0]
    assert "δ²₀ = ∂E/∂z²₀ = a²₀ − y₀   (BP1; the σ'(z) factor cancels)" in e.lines
    assert e.lines[1].endswith(f"= {g4(a)} − 1 = {g4(d)}")
    assert "cancels" in e.sentence
    err = explain(at(walk, "error")).text()
    assert "E = −Σⱼ [yⱼ ln a²ⱼ + (1 − yⱼ) ln(1 − a²ⱼ)]" in err
    assert f"−ln {g4(a)}" in err and g4(-math.log(a)) in err


def test_log_likelihood_with_one_hot_target():
    net = Network([2, 3, 4], ["tanh", "softmax"], "log-likelihood", seed=3)
    walk = Walk(net, [0.2, -0.4], [0, 0, 1, 0])
    a2 = walk.trace.a[2][2]
    err = explain(at(walk, "error")).text()
    assert "−ln a²₂" in err and f"−ln {g4(a2)} = {g4(-math.log(a2))}" in err
    e = explain(at(walk, "backward", 2), ("neuron", 2, 2))
    assert "cancels" in e.lines[0] and e.lines[1].endswith(f"− 1 = {g4(a2 - 1)}")
    e = explain(at(walk, "backward", 1), ("neuron", 1, 0))
    t = math.tanh(walk.trace.z[1][0])
    shown = g4(t) if t >= 0 else f"({g4(t)})"
    assert f"σ'(z¹₀) = 1 − tanh²(z) = 1 − {shown}² = {g4(1 - t * t)}" in e.lines


def test_step_backward_says_delta_is_zero_and_why():
    preset = get_preset("medal")
    walk = Walk(preset.build(), [30, 3, 50], [1.0])  # one donut too many: z = −1.5, a = 0
    assert walk.trace.a[1][0] == 0
    e = explain(at(walk, "backward", 1))
    assert "δ¹₀ = (0 − 1) · 0 = 0" in e.lines
    assert any(line.startswith("σ'(z¹₀) = 0") for line in e.lines)
    assert "δ = 0" in e.sentence and "derivative is 0 everywhere it exists" in e.sentence
    assert "cannot change the weights" in e.sentence and "sigmoid" in e.sentence
    e = explain(at(walk, "update"))
    assert "every gradient is 0" in e.sentence
    # A hidden layer of step units: BP2 multiplies by σ' = 0.
    net = Network([2, 3, 1], ["step", "sigmoid"], seed=0)
    walk = Walk(net, [0.3, -0.8], [1.0])
    e = explain(at(walk, "backward", 1))
    assert e.lines[-1].endswith("· 0 = 0") and "δ = 0" in e.sentence


def test_relu_leaky_linear_and_softmax_texts():
    net = Network([2, 2, 2, 3], ["relu", "leaky-relu", "softmax"], "quadratic", seed=1)
    net.set_parameters([[[1, 0], [-1, 0]], [[1, 0], [-1, 0]], np.eye(3, 2)],
                       [[0, 0], [0, 0], [0, 0, 0]])
    walk = Walk(net, [0.5, 0.0], [0, 1, 0])  # z¹ = (0.5, −0.5), z² = (0.5, −0.5)
    e = explain(at(walk, "backward", 1), ("neuron", 1, 1)).text()
    assert "σ'(z¹₁) = 0, as z ≤ 0" in e
    e = explain(at(walk, "backward", 2), ("neuron", 2, 1)).text()
    assert "σ'(z²₁) = 0.01, as z ≤ 0" in e
    e = explain(at(walk, "backward", 2), ("neuron", 2, 0)).text()
    assert "σ'(z²₀) = 1, as z > 0" in e
    e = explain(at(walk, "backward", 3), ("neuron", 3, 0)).text()
    assert "softmax" in e and f"= {g4(walk.grads.delta[3][0])}" in e
    e = explain(at(walk, "forward", 3)).text()
    assert "e^(z³" in e and "add up to 1" in e
    lin = Walk(Network([1, 1], "linear", seed=0), [1.0], [0.0])
    assert "σ'(z¹₀) = 1" in explain(at(lin, "backward", 1)).text()


HIDDEN = ["sigmoid", "tanh", "relu", "leaky-relu", "linear", "step"]
PAIRS = [("quadratic", out) for out in HIDDEN + ["softmax"]]
PAIRS += [("cross-entropy", "sigmoid"), ("log-likelihood", "softmax")]


@pytest.mark.parametrize("hidden,pair", list(itertools.product(HIDDEN, PAIRS)))
def test_every_stage_and_focus_explains(hidden, pair):
    cost, output = pair
    net = Network([3, 4, 7], [hidden, output], cost, seed=5)
    y = np.eye(7)[2] if cost != "quadratic" else np.linspace(0, 1, 7)
    walk = Walk(net, [0.3, -0.2, 0.9], y)
    foci = [None, ("neuron", 0, 1), ("neuron", 1, 3), ("neuron", 2, 6), ("edge", 1, 2, 0),
            ("edge", 2, 6, 3), ("bias", 1, 1), ("bias", 2, 0)]
    for i in range(len(walk.stages)):
        walk.go(i)
        for focus in foci:
            e = explain(walk, focus)
            assert e.heading and e.lines and e.sentence.endswith(".")
            assert "nan" not in e.text().lower()
            _check_html(e.html())


# -- html ----------------------------------------------------------------------------------------

def _check_html(html):
    for tag in ("p", "b", "i", "sup", "sub", "span"):
        assert html.count(f"<{tag}>") + html.count(f"<{tag} ") == html.count(f"</{tag}>"), tag
    text = re.sub(r"<[^>]*>", "", html)
    assert "<" not in text and ">" not in text
    assert re.fullmatch(r"([^&]|&(lt|gt|amp|nbsp);)*", text), "unescaped &"


def test_html_escapes_and_uses_real_scripts():
    e = Explanation("E < 1 & so", ("  z¹₁₂,₃ < 0 & a   (note <x>)",), "a<b & c>d")
    html = e.html()
    _check_html(html)
    assert "E &lt; 1 &amp; so" in html and "a&lt;b &amp; c&gt;d" in html
    assert "z<sup>1</sup><sub>12,3</sub> &lt; 0 &amp; a" in html
    assert html.startswith("<p><b>") and "&nbsp;&nbsp;z" in html
    assert '<span style="color:' in html and "(note &lt;x&gt;)" in html
    walk = at(Walk(get_preset("medal").build(), [30, 3, 50], [1.0]), "forward", 1)
    html = explain(walk).html()
    _check_html(html)
    assert "z &lt; 0" in html and "w<sup>1</sup><sub>00</sub>" in html
    assert "e<sup>−z</sup>" in explain(at(Walk(get_preset("chain").build(), [1], [0]),
                                          "forward", 1)).html()
