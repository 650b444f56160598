"""bayesfit: Bayesian estimation of model parameters in physics and learning theory.

float64 is switched on at import: physics kernels need it. The public names below are
imported on first use (module ``__getattr__``), so ``import bayesfit`` and
``bayesfit --version`` do not pay for JAX, NumPyro, ArviZ, matplotlib, pandas or emcee
(``benchmarks/import_time.py``).
"""

import importlib as _importlib
import os as _os
import sys as _sys

from ._threads import limit_blas_threads as _limit_blas_threads

_limit_blas_threads()

if "jax" in _sys.modules:  # already imported: switch it on now
    _sys.modules["jax"].config.update("jax_enable_x64", True)
else:  # read by JAX when it is first imported (by bayesfit or by the user)
    _os.environ["JAX_ENABLE_X64"] = "1"

from ._version import __version__ as __version__  # noqa: E402
from .errors import BayesfitError as BayesfitError  # noqa: E402

# public name -> module that defines it (imported on first access)
_LAZY = {
    "Dataset": "bayesfit.core",
    "Problem": "bayesfit.core",
    "MAP": "bayesfit.inference",
    "NUTS": "bayesfit.inference",
    "REMC": "bayesfit.inference",
    "Emcee": "bayesfit.inference",
    "fit": "bayesfit.inference",
    "register_method": "bayesfit.inference",
    "register_kernel": "bayesfit.kernels",
    "Result": "bayesfit.results",
    "compare": "bayesfit.results",
    "load": "bayesfit.results",
    "plot_dataset": "bayesfit.results",
    "plot_free_energy": "bayesfit.results",
    "plot_ladder": "bayesfit.results",
    "plot_pair": "bayesfit.results",
    "plot_prediction": "bayesfit.results",
    "plot_trace": "bayesfit.results",
    "sweep": "bayesfit.sweeps",
}

__all__ = ["BayesfitError", "__version__", *_LAZY]


_SUBPACKAGES = {"core", "inference", "results", "io", "kernels", "spin", "theory", "ebm",
                "units", "cli", "sweeps", "studies", "sequences", "criticality"}


def __getattr__(name: str):
    if name in _SUBPACKAGES:
        return _importlib.import_module(f"bayesfit.{name}")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'bayesfit' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
