"""bayesfit: Bayesian estimation of model parameters in physics and learning theory.

float64 is switched on at import: physics kernels need it.
"""

import jax as _jax

_jax.config.update("jax_enable_x64", True)

__version__ = "0.1.0"

from .errors import BayesfitError as BayesfitError  # noqa: E402
from .kernels import register_kernel as register_kernel  # noqa: E402
