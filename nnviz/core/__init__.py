"""The learning core: numpy only, never Qt; usable as a library (README: "Using the core as a
library").

Network (forward, backward: BP1–BP4), activations, costs, the finite-difference gradient check,
the mini-batch SGD trainer, the stage-by-stage Walk of one example, and the network files.
"""

from .activations import ACTIVATIONS, Activation, get_activation
from .costs import COSTS, Cost, get_cost
from .gradcheck import GradientCheck, check_all, check_gradient
from .netfile import NetworkFileError, load_network, save_network
from .network import INITS, Gradients, Network, Trace
from .stepper import Walk
from .training import (
    SCHEDULES,
    BatchReport,
    EpochReport,
    TrainConfig,
    Trainer,
    TrainingResult,
    train,
)

__all__ = [
    "ACTIVATIONS", "Activation", "get_activation", "COSTS", "Cost", "get_cost",
    "GradientCheck", "check_all", "check_gradient", "INITS", "Gradients", "Network", "Trace",
    "SCHEDULES", "BatchReport", "EpochReport", "TrainConfig", "Trainer", "TrainingResult", "train",
    "NetworkFileError", "load_network", "save_network", "Walk",
]
