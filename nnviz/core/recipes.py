"""Training recipes of the presets: the article's own settings and fast modern ones.

* **Article's settings**: how the source trains the network. mnist-30 is Nielsen's first
  network (η = 3, mini-batches of 10, 30 epochs, the quadratic cost, plain SGD); mnist-100 the
  third chapter's (cross-entropy, weights scaled by 1/√n_in, η = 0.1, L2 λ = 5, mini-batches of
  10, 60 epochs). The small presets' articles train by hand, one gradient step at a time, so
  theirs are plain SGD on one example per step, paced to learn visibly in a few seconds (XOR
  learns from random weights in xor-random; the xor preset's hand-set weights already solve it).
* **Fast modern settings**: momentum 0.9, a cosine schedule and fewer epochs: about the same
  accuracy in a fraction of the time.

The network (its sizes, activations, cost and initial weights) is the preset's own; a recipe
holds only what a TrainConfig holds. ``recipes_for(key)`` gives a preset's Recipes or None.
numpy-free, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .training import TrainConfig

ARTICLE = "article"
FAST = "fast"
#: The choices a Training dock offers, in order, with their labels.
CHOICES = {ARTICLE: "Article's settings", FAST: "Fast modern settings"}


@dataclass(frozen=True)
class Recipes:
    """A preset's two recipes; ``note`` says where the article's come from."""

    article: TrainConfig
    fast: TrainConfig
    note: str

    def get(self, choice: str) -> TrainConfig:
        """The recipe called ``choice`` (ARTICLE or FAST); ValueError otherwise."""
        if choice == ARTICLE:
            return self.article
        if choice == FAST:
            return self.fast
        raise ValueError(f"unknown recipe {choice!r}; choose one of {', '.join(CHOICES)}")


def _paced(eta: float, batch: int, epochs: int, pace: float) -> TrainConfig:
    return TrainConfig(eta=eta, batch_size=batch, epochs=epochs, pace=pace)


def _fast(config: TrainConfig, eta: float, epochs: int, batch: int | None = None
          ) -> TrainConfig:
    return replace(config, eta=eta, epochs=epochs, momentum=0.9, schedule="cosine",
                   batch_size=batch or config.batch_size)


_ONE_EXAMPLE = ("the article takes gradient steps by hand on its one example; here η = 3 on "
                "that example, 20 epochs a second")
_SMALL = {
    "xor-random": Recipes(_paced(3.0, 1, 300, 30.0), _fast(_paced(3.0, 1, 300, 30.0), 1.0, 150),
                          "one example per step, η = 3, 300 epochs, 30 a second"),
    "chain": Recipes(_paced(3.0, 1, 100, 20.0), _fast(_paced(3.0, 1, 100, 20.0), 1.0, 60),
                     _ONE_EXAMPLE),
    "running-example": Recipes(_paced(3.0, 1, 100, 20.0),
                               _fast(_paced(3.0, 1, 100, 20.0), 1.0, 60), _ONE_EXAMPLE),
    "2-3-1": Recipes(_paced(0.5, 10, 100, 20.0), _fast(_paced(0.5, 10, 100, 20.0), 0.2, 60),
                     "mini-batches of 10 of the 200 points, η = 0.5, 20 epochs a second"),
    "steps": Recipes(_paced(0.5, 10, 200, 30.0), _fast(_paced(0.5, 10, 200, 30.0), 0.1, 100),
                     "mini-batches of 10 of the 100 samples of f, η = 0.5"),
}

MNIST_30 = TrainConfig(eta=3.0, batch_size=10, epochs=30, momentum=0.0, l2=0.0,
                       schedule="constant")
MNIST_100 = TrainConfig(eta=0.1, batch_size=10, epochs=60, momentum=0.0, l2=5.0,
                        schedule="constant")

_RECIPES = {
    **_SMALL,
    "mnist-30": Recipes(MNIST_30, _fast(MNIST_30, 0.3, 10, batch=32),
                        "Nielsen, chapter 1: η = 3, mini-batches of 10, 30 epochs, quadratic "
                        "cost (about 95%)"),
    "mnist-100": Recipes(MNIST_100, _fast(MNIST_100, 0.05, 15, batch=32),
                         "Nielsen, chapter 3: cross-entropy, scaled weights, η = 0.1, λ = 5, "
                         "mini-batches of 10, 60 epochs (about 98%)"),
}


def recipes_for(key: str | None) -> Recipes | None:
    """The recipes of the preset called ``key``, or None (it has none, e.g. a perceptron whose
    step units gradient descent cannot move)."""
    return _RECIPES.get(str(key).strip().lower()) if key else None
