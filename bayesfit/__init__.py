"""bayesfit: Bayesian estimation of model parameters in physics and learning theory.

float64 is switched on at import: physics kernels need it.
"""

from ._threads import limit_blas_threads as _limit_blas_threads

_limit_blas_threads()

import jax as _jax  # noqa: E402

_jax.config.update("jax_enable_x64", True)

from ._version import __version__ as __version__  # noqa: E402
from .core import Dataset as Dataset  # noqa: E402
from .core import Problem as Problem  # noqa: E402
from .errors import BayesfitError as BayesfitError  # noqa: E402
from .inference import MAP as MAP  # noqa: E402
from .inference import NUTS as NUTS  # noqa: E402
from .inference import REMC as REMC  # noqa: E402
from .inference import Emcee as Emcee  # noqa: E402
from .inference import fit as fit  # noqa: E402
from .inference import register_method as register_method  # noqa: E402
from .kernels import register_kernel as register_kernel  # noqa: E402
from .results import Result as Result  # noqa: E402
from .results import compare as compare  # noqa: E402
from .results import load as load  # noqa: E402
from .results import plot_dataset as plot_dataset  # noqa: E402
from .results import plot_free_energy as plot_free_energy  # noqa: E402
from .results import plot_ladder as plot_ladder  # noqa: E402
from .results import plot_pair as plot_pair  # noqa: E402
from .results import plot_prediction as plot_prediction  # noqa: E402
from .results import plot_trace as plot_trace  # noqa: E402
