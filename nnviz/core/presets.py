"""Preset networks: the worked examples of the source articles, ready to show.

Each :class:`Preset` builds a fresh :class:`~nnviz.core.network.Network` with fixed weights
(hand-set from an article where it gives numbers, otherwise chosen here or drawn from a fixed
seed), together with a caption in the articles' notation — w^l_jk, b^l_j, z^l = w^l a^(l−1) + b^l,
a^l = σ(z^l), E = ½‖a^L − y‖², δ^l = ∂E/∂z^l — an example input to show and, for the small
networks, names for the inputs and the toy data set the preset goes with.

Articles (see /work/shared/seeds/README.md):

* 000 "Neural Nets and How They Learn" (AMS Feature Column): medal, chain, steps, mnist-30.
* 001 "How do Neural Networks Learn": 2-3-1, the cross-entropy of mnist-100.
* 003 "A Simple Introduction to Neural Networks": running-example, xor, xor-random.
* 004 "An Introduction to Neural Networks": concert.

numpy and the standard library only (plus nnviz.core / nnviz.data); never Qt.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..data.dataset import Dataset
from .network import Network
from .training import TrainConfig

AMS = "Neural Nets and How They Learn (AMS Feature Column)"
HOW_LEARN = "How do Neural Networks Learn"
SIMPLE_INTRO = "A Simple Introduction to Neural Networks"
AN_INTRO = "An Introduction to Neural Networks"


@dataclass(frozen=True)
class Preset:
    """A ready-made network to show, with its caption and example.

    key : short command-line name (lowercase, words joined by dashes), e.g. "concert".
    title : menu text.
    caption : 2–4 sentences in the articles' words and notation: what the preset teaches and
              what to try.
    source : title of the article it comes from.
    build : returns a fresh Network with the preset's weights (the same every call).
    example : an input x to show (length n_0), or None (MNIST: the app shows a test digit).
    input_labels, output_labels : names of the input / output neurons of small nets, or None.
    dataset : returns the toy data set this preset goes with, or None.
    target : the target y for ``example`` (length n_L), when meaningful.
    training : training settings that learn ``dataset`` from these weights, or None (the
               Training panel's own).
    """

    key: str
    title: str
    caption: str
    source: str
    build: Callable[[], Network]
    example: tuple[float, ...] | None
    input_labels: tuple[str, ...] | None = None
    output_labels: tuple[str, ...] | None = None
    dataset: Callable[[], Dataset] | None = None
    target: tuple[float, ...] | None = None
    training: TrainConfig | None = None


def _hand_set(sizes, activation, weights, biases, cost="quadratic") -> Network:
    """A Network with the given weights w^l (rows = neurons of layer l) and biases b^l."""
    net = Network(sizes, activation, cost, seed=0)
    net.set_parameters(weights, biases)
    return net


# -- 1. concert (article 004) ---------------------------------------------------------------
#: "Inputs / Weights": money for snacks 1, partner 4, driving 3; "threshhold = 6".
CONCERT_WEIGHTS = (1.0, 4.0, 3.0)
CONCERT_THRESHOLD = 6.0


def _concert() -> Network:
    return _hand_set([3, 1], "step", [[CONCERT_WEIGHTS]], [[-CONCERT_THRESHOLD]])


# -- 2. medal (article 000; the article gives no numbers) -----------------------------------
#: w1 "a large positive number" (hours trained), w2 "a negative number with a fairly large
#: magnitude" (donuts), w3 "close to zero" (Taylor Swift streams); threshold θ, bias b = −θ.
MEDAL_WEIGHTS = (1.0, -4.0, 0.01)
MEDAL_THRESHOLD = 20.0


def _medal() -> Network:
    return _hand_set([3, 1], "step", [[MEDAL_WEIGHTS]], [[-MEDAL_THRESHOLD]])


# -- 3. and / or -------------------------------------------------------------------------------
def _gate(threshold: float) -> Callable[[], Network]:
    def build() -> Network:
        return _hand_set([2, 1], "step", [[[1.0, 1.0]]], [[-threshold]])

    return build


def _gate_data(name: str) -> Callable[[], Dataset]:
    def dataset() -> Dataset:
        from ..data import toy

        return toy.logic_gate(name)

    return dataset


# -- 4. xor -----------------------------------------------------------------------------------
def _xor() -> Network:
    # Hidden neuron 1 is OR, hidden neuron 2 is NAND, the output is the AND of the two.
    return _hand_set(
        [2, 2, 1],
        "sigmoid",
        [[[20.0, 20.0], [-20.0, -20.0]], [[20.0, 20.0]]],
        [[-10.0, 30.0], [-30.0]],
    )


#: The seed of xor-random's weights: N(0, 1) draws that leave every output near ½ (0.48–0.54
#: on the four points) and that gradient descent takes to XOR, with the stepping η = 0.5 one
#: example at a time as with XOR_RANDOM_TRAINING for every shuffling seed tried (not every
#: seed does: a 2-2-1 net can get stuck with one hidden neuron doing nothing).
XOR_RANDOM_SEED = 5
#: One example per step (m = 1), η = 3 for 300 epochs, at 30 epochs per second: ten seconds
#: to watch the four outputs part from ½ and the error fall.
XOR_RANDOM_TRAINING = TrainConfig(eta=3.0, batch_size=1, epochs=300, pace=30.0)


def _xor_random() -> Network:
    return Network([2, 2, 1], "sigmoid", "quadratic", seed=XOR_RANDOM_SEED, init="standard")


def _xor_data() -> Dataset:
    from ..data import toy

    return toy.xor()


# -- 5. chain (article 000) ---------------------------------------------------------------------
#: (w^l, b^l) for l = 1, 2, 3 of the one-neuron-per-layer chain x → z^1 → z^2 → y.
CHAIN_PARAMETERS = ((2.0, -1.0), (1.5, -0.5), (2.5, -1.0))


def _chain() -> Network:
    return _hand_set(
        [1, 1, 1, 1],
        "sigmoid",
        [[[w]] for w, _ in CHAIN_PARAMETERS],
        [[b] for _, b in CHAIN_PARAMETERS],
    )


def _example_data(x: tuple[float, ...], y: tuple[float, ...], name: str
                  ) -> Callable[[], Dataset]:
    """The preset's one example with its target, as its own data (to train on)."""
    def dataset() -> Dataset:
        return Dataset(np.array([x]), np.array([y]), name=name)

    return dataset


# -- 6. running example (article 003) ------------------------------------------------------------
def _running_example() -> Network:
    # Layer 1 = neurons 3, 4; layer 2 = neurons 6, 7; layer 3 = neuron 9. The bias neurons 2, 5
    # and 8 become b^1, b^2, b^3. The article has no edge from neuron 3 to neuron 7: w^2_10 = 0.
    return _hand_set(
        [1, 2, 2, 1],
        "sigmoid",
        [[[0.8], [-1.2]], [[1.5, -0.7], [0.0, 1.1]], [[1.2, -0.9]]],
        [[0.1, 0.4], [-0.3, 0.2], [0.05]],
    )


# -- 7. 2-3-1 (article 001) ----------------------------------------------------------------------
def _two_three_one() -> Network:
    return Network([2, 3, 1], "sigmoid", "cross-entropy", seed=0, init="standard")


def _two_gaussians() -> Dataset:
    from ..data import toy

    return toy.two_gaussians(n=200, noise=0.3, seed=0)


# -- 8. steps (article 000, universal approximation) ---------------------------------------------
STEPS_N = 5
STEPS_WEIGHT = 100.0
#: Sampling points 0, 1/5, ..., 1: the ends of the N sampling intervals of [0, 1].
STEPS_SAMPLES = tuple(i / STEPS_N for i in range(STEPS_N + 1))
#: Step positions s_i: the midpoints of the sampling intervals, 0.1, 0.3, ..., 0.9.
STEPS_POSITIONS = tuple((2 * i + 1) / (2 * STEPS_N) for i in range(STEPS_N))


def steps_target(x):
    """The function the ``steps`` preset approximates: f(x) = 0.5 + 0.4 sin(2πx), in [0.1, 0.9]."""
    return 0.5 + 0.4 * np.sin(2 * math.pi * np.asarray(x, dtype=np.float64))


def _steps() -> Network:
    f = [float(steps_target(p)) for p in STEPS_SAMPLES]
    w1 = [[STEPS_WEIGHT] for _ in STEPS_POSITIONS]
    b1 = [-STEPS_WEIGHT * s for s in STEPS_POSITIONS]  # σ(w(x − s)) = σ(wx − ws)
    w2 = [[f[i + 1] - f[i] for i in range(STEPS_N)]]  # the jump over the i-th interval
    b2 = [f[0]]  # the sampled value at the left endpoint
    return _hand_set([1, STEPS_N, 1], ["sigmoid", "linear"], [w1, w2], [b1, b2])


def _steps_data() -> Dataset:
    from ..data import toy

    return toy.function_samples(steps_target, n=100, name="f(x) = 0.5 + 0.4 sin(2πx)")


# -- 9./10. MNIST ------------------------------------------------------------------------------
def _mnist_30() -> Network:
    return Network([784, 30, 10], "sigmoid", "quadratic", seed=0, init="standard")


def _mnist_100() -> Network:
    return Network([784, 100, 10], "sigmoid", "cross-entropy", seed=0, init="scaled")


DIGITS = tuple(str(d) for d in range(10))

_ALL = (
    Preset(
        key="concert",
        title="Concert decision (perceptron)",
        caption=(
            "Will you go to the concert? Three yes/no inputs with weights 1 (money for snacks), "
            "4 (partner can go) and 3 (feel like driving); you go when the weighted sum is "
            "greater than the threshold 6. The threshold becomes the bias b = −6 and the step "
            "unit outputs 1 if z = w·x + b ≥ 0 (no answers sum to exactly 6, so ≥ and > agree). "
            "Try the article's case: no snacks, partner, driving gives 0·1 + 1·4 + 1·3 = 7 > 6, "
            "so the output is 1 — then switch off your partner."
        ),
        source=AN_INTRO,
        build=_concert,
        example=(0.0, 1.0, 1.0),
        input_labels=("money for snacks", "partner can go", "feel like driving"),
        output_labels=("go to concert",),
        target=(1.0,),
    ),
    Preset(
        key="medal",
        title="Olympic medal (threshold neuron)",
        caption=(
            "Will an athlete win a medal in the half-pipe? x1 = hours trained reaches the neuron "
            "through an excitatory synapse (w1 = 1 > 0), x2 = chocolate donuts eaten through an "
            "inhibitory one (w2 = −4 < 0), and x3 = streams of Taylor Swift's latest album through "
            "a weight close to zero (w3 = 0.01); the output a = 1 if Σ w_i x_i ≥ θ = 20, i.e. "
            "b = −θ = −20. "
            "The article leaves the numbers to intuition, so these are guesses: try one more "
            "donut (x2 = 3) and the prediction flips, while extra streams change almost nothing."
        ),
        source=AMS,
        build=_medal,
        example=(30.0, 2.0, 50.0),
        input_labels=("hours trained", "chocolate donuts", "Taylor Swift streams"),
        output_labels=("medal",),
        target=(1.0,),  # 30 − 4·2 + 0.01·50 − 20 = 2.5 ≥ 0: the example athlete wins one
    ),
    Preset(
        key="and",
        title="AND gate (perceptron)",
        caption=(
            "One threshold neuron with weights w1 = w2 = 1 and threshold θ = 1.5 (bias b = −θ) "
            "fires only when Σ w_i x_i ≥ θ, i.e. when both inputs are 1: it computes AND. "
            "The step unit's derivative is 0, so gradient descent cannot move these weights; "
            "change b to −0.5 by hand and it becomes OR."
        ),
        source=AMS,
        build=_gate(1.5),
        example=(1.0, 1.0),
        input_labels=("x1", "x2"),
        output_labels=("x1 AND x2",),
        dataset=_gate_data("and"),
        target=(1.0,),
    ),
    Preset(
        key="or",
        title="OR gate (perceptron)",
        caption=(
            "One threshold neuron with weights w1 = w2 = 1 and threshold θ = 0.5 (bias b = −θ) "
            "fires when Σ w_i x_i ≥ θ, i.e. when at least one input is 1: it computes OR. "
            "The same weights with a different bias give AND (b = −1.5): the bias decides how "
            "easily the neuron is activated."
        ),
        source=AMS,
        build=_gate(0.5),
        example=(0.0, 1.0),
        input_labels=("x1", "x2"),
        output_labels=("x1 OR x2",),
        dataset=_gate_data("or"),
        target=(1.0,),
    ),
    Preset(
        key="xor",
        title="XOR (one hidden layer)",
        caption=(
            "XOR is 1 when exactly one input is 1; no single perceptron can compute it, because "
            "no straight line separates (0,1) and (1,0) from (0,0) and (1,1). One hidden layer "
            "can: hidden neuron 1 computes OR, hidden neuron 2 NAND, and the output neuron the "
            "AND of the two, with large weights (±20) so that each sigmoid acts almost like a "
            "step. Any boolean function can be built with one hidden layer; try retraining from "
            "random weights."
        ),
        source=SIMPLE_INTRO,
        build=_xor,
        example=(1.0, 0.0),
        input_labels=("x1", "x2"),
        output_labels=("x1 XOR x2",),
        dataset=_xor_data,
        target=(1.0,),
    ),
    Preset(
        key="xor-random",
        title="XOR from random weights (learning)",
        caption=(
            "The same 2-2-1 net of sigmoid neurons, but it starts from chance: small random "
            "weights (seed 5), so every output a^2 is near ½ and E = ½‖a^2 − y‖² is large for "
            "all four inputs. The sigmoids are not saturated, σ'(z) is near its largest value "
            "¼, so each gradient-descent step w ← w − η ∂E/∂w visibly lowers E. Step through "
            "one example and watch E fall, or train on the four points and watch the hidden "
            "neurons turn into logic gates of their own (from this start, NOR and NAND)."
        ),
        source=SIMPLE_INTRO,
        build=_xor_random,
        example=(1.0, 0.0),
        input_labels=("x1", "x2"),
        output_labels=("x1 XOR x2",),
        dataset=_xor_data,
        target=(1.0,),
        training=XOR_RANDOM_TRAINING,
    ),
    Preset(
        key="chain",
        title="One neuron per layer (backpropagation)",
        caption=(
            "The article explains backpropagation \"using a simple net in which each layer has "
            "only one neuron\": x = a^0 → a^1 → a^2 → a^3, each a^l = σ(w^l a^(l−1) + b^l), "
            "with E = ½(a^3 − y)² for the target y (the article writes y for the output, i(x) "
            "for the target and ε for the learning rate). The chain rule runs backwards: "
            "δ^3 = (a^3 − y) σ'(z^3), and each step back multiplies by w^l σ'(z^(l−1)), where "
            "σ' = σ(1 − σ) ≤ ¼. "
            "Take a few gradient-descent steps with learning rate η and watch which of w^1, w^2, "
            "w^3 moves fastest."
        ),
        source=AMS,
        build=_chain,
        example=(1.0,),
        input_labels=("x",),
        output_labels=("a³",),
        target=(0.0,),
        dataset=_example_data((1.0,), (0.0,), "the example x = 1, y = 0"),
    ),
    Preset(
        key="running-example",
        title="Running example (two hidden layers)",
        caption=(
            "The article's running example: input neuron 1, hidden neurons 3, 4 and 6, 7, output "
            "neuron 9; the bias neurons 2, 5 and 8 always send 1, which nnviz shows as the biases "
            "b^l_j. The article has no edge from neuron 3 to neuron 7, so that weight starts at 0; "
            "its weights were in figures lost from the text, so these are made up, and the neurons "
            "use the logistic function (the article also names the rectifier: try relu). "
            "Backpropagation finds the derivative with regard to each neuron's input, δ^l, layer "
            "by layer in reverse — neuron 4 collects from both 6 and 7. nnviz counts from 0 "
            "within each layer, as the indices of w^l_jk do: the article's neuron 1 is layer 0 · "
            "neuron 0, neurons 3, 4 are layer 1 · neurons 0, 1, neurons 6, 7 are layer 2 · "
            "neurons 0, 1, and neuron 9 is layer 3 · neuron 0."
        ),
        source=SIMPLE_INTRO,
        build=_running_example,
        example=(0.5,),
        # short, as the equations name them ("layer 3 · neuron 0"): a long label next to the
        # output neuron makes the fitted graph smaller, its numbers then too small to draw
        input_labels=("neuron 0",),
        output_labels=("neuron 0",),
        target=(1.0,),
        dataset=_example_data((0.5,), (1.0,), "the example x = 0.5, y = 1"),
    ),
    Preset(
        key="2-3-1",
        title="2-3-1 network (matrix shapes)",
        caption=(
            "The article's \"very simple neural network with two layers and three neurons in the "
            "first layer\": z^[1] = W^[1]ᵀx + b^[1], a^[1] = σ(z^[1]), and the output "
            "a^[2] = σ(W^[2]ᵀa^[1] + b^[2]) (the article's ŷ). "
            "nnviz stores w^1 as the 3 × 2 matrix W^[1]ᵀ, one row per neuron and one column per "
            "input; the weights are randomly chosen (seed 0) and the cost is the cross-entropy "
            "E = −(y log a^2 + (1 − y) log(1 − a^2)) for the target y. Train it on the "
            "two-class points and watch gradient descent nudge a^2 towards y."
        ),
        source=HOW_LEARN,
        build=_two_three_one,
        example=(0.5, 0.5),
        input_labels=("x1", "x2"),
        output_labels=("a²",),
        dataset=_two_gaussians,
        target=(1.0,),
    ),
    Preset(
        key="steps",
        title="Universal approximation by steps",
        caption=(
            "Each hidden neuron σ(w(x − s)) with a large weight w = 100 is almost a step at s, "
            "the midpoint of one of 5 sampling intervals of [0, 1]. The output bias is f at the "
            "left endpoint and output weight i the jump of f over interval i, so the net draws a "
            "staircase through f(x) = 0.5 + 0.4 sin(2πx) (nnviz's output is linear; the article "
            "puts σ on it and builds steps of σ⁻¹∘f). More sampling points (hidden neurons) give "
            "finer steps; lower w and watch the steps blur."
        ),
        source=AMS,
        build=_steps,
        example=(0.25,),
        input_labels=("x",),
        output_labels=("a² ≈ f(x)",),
        dataset=_steps_data,
        target=(0.9,),
    ),
    Preset(
        key="mnist-30",
        title="MNIST 784-30-10",
        caption=(
            "28 × 28 = 784 grayscale inputs, one hidden layer of 30 sigmoid neurons and outputs "
            "a^2_0 … a^2_9, one per digit; E = ½‖a^2 − y‖² with y the digit's one-hot target "
            "(the article's f(x) and i(x)). It starts from random weights, so "
            "it guesses until trained; the article cites a net \"having 30 neurons in one hidden "
            "layer\" that \"correctly identifies 95% of the images in the MNIST test data "
            "set\". Train it with gradient descent on the 60,000 training images (Nielsen: η = 3, "
            "mini-batches of 10) and check the 10,000 test images."
        ),
        source=AMS,
        build=_mnist_30,
        example=None,
        output_labels=DIGITS,
    ),
    Preset(
        key="mnist-100",
        title="MNIST 784-100-10, cross-entropy",
        caption=(
            "A wider net, 100 hidden sigmoid neurons, with the cross-entropy cost "
            "E = −(y log a^L + (1 − y) log(1 − a^L)) summed over the 10 outputs and weights scaled "
            "by 1/√n_in. When an output is stuck near σ = 0 but should be 1, σ' is tiny and the "
            "quadratic cost learns slowly; with cross-entropy δ^L = a^L − y and the σ' factor "
            "cancels. Train it and compare with mnist-30."
        ),
        source=f"{HOW_LEARN}; {AMS}",
        build=_mnist_100,
        example=None,
        output_labels=DIGITS,
    ),
)

#: All presets by key, in menu order.
PRESETS: dict[str, Preset] = {p.key: p for p in _ALL}


def get_preset(key: str) -> Preset:
    """The preset called ``key`` (case and surrounding spaces ignored); ValueError if unknown."""
    name = str(key).strip().lower()
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(
            f"unknown preset {key!r}; choose one of {', '.join(PRESETS)}"
        ) from None
