"""Energy-based models: fitting RBMs to a target energy.

Targets with a tractable energy (Curie-Weiss, SK, 2D Ising, Bernoulli mixtures, any user
energy), an RBM with +-1 visible / 0-1 hidden units, samplers, objectives (forward KL,
reverse KL, their sum and the ratio-divergence family), training with optax inside
``lax.scan`` vmapped over seeds, and metrics. See ``bayesfit/ebm/README.md`` for which
objective is called "ratio divergence" and why.

Reference: Y. Ishida, Y. Ichikawa, A. Dote, T. Miyazawa, K. Hukushima,
arXiv:2409.07679 (2024).
"""

from . import metrics as metrics
from . import objectives as objectives
from . import samplers as samplers
from . import targets as targets
from ._ais import AISResult as AISResult
from ._ais import ais_log_Z as ais_log_Z
from ._ais import ais_log_Z_target as ais_log_Z_target
from ._errors import EnumerationTooLarge as EnumerationTooLarge
from ._errors import OptionError as OptionError
from ._errors import ShapeError as ShapeError
from ._errors import UnknownObjective as UnknownObjective
from ._rbm import RBM as RBM
from ._rbm import RBMParams as RBMParams
from ._samples import Samples as Samples
from ._train import FitResult as FitResult
from ._train import StepInfo as StepInfo
from ._train import TrainSpec as TrainSpec
from ._train import TrainState as TrainState
from ._train import fit as fit
from ._train import train_init as train_init
from ._train import train_step as train_step
from .objectives import ForwardKL as ForwardKL
from .objectives import Jeffreys as Jeffreys
from .objectives import LogRatioVariance as LogRatioVariance
from .objectives import PairwiseLogRatio as PairwiseLogRatio
from .objectives import RatioDivergence as RatioDivergence
from .objectives import ReverseKL as ReverseKL
from .samplers import PCD as PCD
from .samplers import Exact as Exact
from .samplers import Metropolis as Metropolis
from .samplers import ParallelTempering as ParallelTempering
from .targets import SK as SK
from .targets import BernoulliMixture as BernoulliMixture
from .targets import CurieWeiss as CurieWeiss
from .targets import CustomTarget as CustomTarget
from .targets import Ising2D as Ising2D

_LAZY = {"compare_methods": "compare", "gap_summary": "compare", "save_tree": "compare",
         "plot_comparison": "compare"}


def __getattr__(name):
    # the comparison layer imports NumPyro, pandas and ArviZ: load it on first use only
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
