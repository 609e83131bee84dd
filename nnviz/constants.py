"""Constants and defaults shared by the core, the data loaders, the window and the command line.

One place for each, so the stepping panel, ``nnviz step`` and the walk agree on η, and every view
that special-cases MNIST-shaped networks asks the same question (``is_mnist_shaped``).
Standard library only: every layer of nnviz may import it.
"""

from __future__ import annotations

from pathlib import Path

#: MNIST's images: 28 × 28 grey pixels, flattened row-major to 784 inputs, in 10 classes.
MNIST_IMAGE_SHAPE = (28, 28)
MNIST_INPUTS = 784
MNIST_CLASSES = 10

#: Learning rate η of the stepping walk's update stage (window and ``nnviz step``) until the
#: user changes it: a moderate step that visibly lowers E on the small presets without
#: overshooting.
STEP_ETA = 0.5

#: Defaults of ``nnviz train``, chosen to reach a good network fast (see README.md): a ReLU
#: hidden layer of 256 and a softmax output with the log-likelihood cost, He initialisation,
#: mini-batches of 256, η = 0.4 with momentum 0.9, and a cosine schedule that anneals η to 0 over
#: the run (so even --epochs 1 ends on small, careful steps); 98% within 5 epochs.
TRAIN_DEFAULTS = dict(layers="784,256,10", activation="relu", cost="log-likelihood", eta=0.4,
                      batch=256, epochs=5, init="auto", l2=0.0, momentum=0.9,
                      schedule="cosine", validation=0)


def mnist_image_shape(n_inputs: int) -> tuple[int, int] | None:
    """The image shape of an input layer of ``n_inputs`` values: MNIST's (28, 28) for 784,
    None for inputs that are not an image."""
    return MNIST_IMAGE_SHAPE if n_inputs == MNIST_INPUTS else None


def is_mnist_shaped(sizes) -> bool:
    """True for a network (its layer sizes) that MNIST can train: 784 inputs, 10 outputs."""
    return (sizes[0], sizes[-1]) == (MNIST_INPUTS, MNIST_CLASSES)


_PACKAGE = Path(__file__).resolve().parent
#: Where the files nnviz ships under ``assets/`` (the MNIST set, the icon) are looked for, in
#: order: inside an installed wheel, then beside the package in a source checkout.
ASSET_DIRS = (_PACKAGE / "assets", _PACKAGE.parent / "assets")


def asset(name: str) -> Path | None:
    """The path of the shipped file ``name`` (e.g. "nnviz.svg"), None if it is not there."""
    for folder in ASSET_DIRS:
        if (folder / name).exists():
            return folder / name
    return None
