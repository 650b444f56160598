"""Inference methods and the ``fit`` entry point."""

from ._emcee import Emcee as Emcee
from ._fit import fit as fit
from ._map import MAP as MAP
from ._method import Method as Method
from ._nuts import NUTS as NUTS
from ._optimize import Optimum as Optimum
from ._optimize import laplace_covariance as laplace_covariance
from ._optimize import maximize as maximize
from ._output import Draws as Draws
from ._registry import available_methods as available_methods
from ._registry import make_method as make_method
from ._registry import method_class as method_class
from ._registry import register_method as register_method
from .remc import REMC as REMC
