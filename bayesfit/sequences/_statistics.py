"""What a curve measures, as small option objects: ``MutualInformation``, ``Correlation``.

A statistic maps pair-count tables ``counts[..., r, a, b]`` to values ``[..., r]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import BayesfitError
from ._entropy import ESTIMATORS, connected_from_counts, mutual_information_from_counts


@dataclass(frozen=True)
class MutualInformation:
    """Mutual information in nats; ``estimator`` is ``"plugin"``, ``"miller_madow"`` or
    ``"grassberger"`` (2003)."""

    estimator: str = "grassberger"

    def __post_init__(self):
        if self.estimator not in ESTIMATORS:
            raise BayesfitError(f"estimator = {self.estimator!r}; use one of {ESTIMATORS}.")

    units = "nats"

    def __call__(self, counts):
        return mutual_information_from_counts(counts, self.estimator)


@dataclass(frozen=True)
class Correlation:
    """Connected correlation ``C_ab(r) = P_r(a, b) - P(a) P(b)`` (dimensionless).

    ``channel``: a pair of symbol codes ``(a, b)``; ``"max"`` (the entry of largest
    ``|C_ab|`` at each ``r``, with its sign); ``"frobenius"`` (``sqrt(sum_ab C_ab^2)``).
    """

    channel: tuple[int, int] | str = "frobenius"

    def __post_init__(self):
        ok = self.channel in ("max", "frobenius") or (
            isinstance(self.channel, tuple) and len(self.channel) == 2)
        if not ok:
            raise BayesfitError(f"channel = {self.channel!r}; give (a, b) symbol codes, "
                                "'max' or 'frobenius'.")

    units = ""

    def __call__(self, counts):
        c = connected_from_counts(counts)
        if self.channel == "frobenius":
            return np.sqrt((c * c).sum(axis=(-2, -1)))
        if self.channel == "max":
            flat = c.reshape(*c.shape[:-2], -1)
            i = np.abs(flat).argmax(axis=-1)
            return np.take_along_axis(flat, i[..., None], axis=-1)[..., 0]
        a, b = self.channel
        K = c.shape[-1]
        if not (0 <= a < K and 0 <= b < K):
            raise BayesfitError(f"channel {self.channel} is outside the alphabet 0..{K - 1}.")
        return c[..., a, b]
