"""String names of objectives (for the study CLI and model files) mapped to objects."""

from __future__ import annotations

from .._errors import UnknownObjective
from ._kl import ForwardKL, Jeffreys, ReverseKL
from ._log_ratio_variance import LogRatioVariance
from ._pairwise import PairwiseLogRatio

_NAMES = {
    "forward_kl": ForwardKL,
    "fkl": ForwardKL,
    "reverse_kl": ReverseKL,
    "rkl": ReverseKL,
    "jeffreys": Jeffreys,
    "sum": Jeffreys,
    "log_ratio_variance": LogRatioVariance,
    "logratio_var": LogRatioVariance,
    "rd_a": lambda: LogRatioVariance(reference="data"),
    "rd_c": lambda: LogRatioVariance(reference="mixture"),
    "pairwise": PairwiseLogRatio,
    "pairwise_ratio": PairwiseLogRatio,
    "rd_b": PairwiseLogRatio,
    "ratio_divergence": PairwiseLogRatio,
    "rd": PairwiseLogRatio,
}


def make(name: str, **options):
    """The objective called ``name`` (e.g. ``"fkl"``, ``"logratio_var"`` with
    ``reference="mixture"``, ``"ratio_divergence"``); options go to its constructor."""
    key = str(name).strip().lower().replace("-", "_")
    if key not in _NAMES:
        raise UnknownObjective(
            f"unknown objective {name!r}; choose one of {sorted(_NAMES)} "
            "(or pass an objective object such as LogRatioVariance(reference='data'))."
        )
    try:
        return _NAMES[key](**options)
    except TypeError as err:
        raise UnknownObjective(
            f"objective {name!r} does not take options {options}: {err}"
        ) from None


def names() -> list[str]:
    """All accepted objective names."""
    return sorted(_NAMES)
