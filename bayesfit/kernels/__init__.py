"""Registered forward models ("kernels") that model files refer to by name."""

from ._checks import reject_unknown_keys as reject_unknown_keys
from ._registry import ForwardModel as ForwardModel
from ._registry import Kernel as Kernel
from ._registry import Prediction as Prediction
from ._registry import available_kernels as available_kernels
from ._registry import build_kernel as build_kernel
from ._registry import get_kernel as get_kernel
from ._registry import register_kernel as register_kernel
