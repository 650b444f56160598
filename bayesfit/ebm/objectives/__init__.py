"""Objectives for fitting an RBM to a target energy: forward KL, reverse KL, their sum and
the ratio-divergence family. Each is a surrogate loss whose gradient is the estimator."""

from ._base import Terms as Terms
from ._kl import ForwardKL as ForwardKL
from ._kl import Jeffreys as Jeffreys
from ._kl import ReverseKL as ReverseKL
from ._log_ratio_variance import LogRatioVariance as LogRatioVariance
from ._pairwise import PairwiseLogRatio as PairwiseLogRatio
from ._pairwise import RatioDivergence as RatioDivergence
from ._registry import make as make
from ._registry import names as names
