"""The learning core: numpy only, never Qt.

Network (forward, backward: BP1–BP4), activations, costs, the finite-difference gradient check,
and the mini-batch SGD trainer.
"""

from .activations import ACTIVATIONS, Activation, get_activation
from .costs import COSTS, Cost, get_cost
from .gradcheck import GradientCheck, check_all, check_gradient
from .network import INITS, Gradients, Network, Trace
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
]
