"""Log-ratio variance objectives ``Var_r[d]`` with a data, model or mixture reference."""

from __future__ import annotations

from dataclasses import dataclass

import jax.numpy as jnp
from jax import Array

from .._errors import OptionError
from ._base import Terms, variance

_REFS = ("data", "model", "mixture")


@dataclass(frozen=True)
class LogRatioVariance:
    """``L = Var_r[d]``, ``d = log q~ - log p~``, with the reference ``r`` held fixed.

    ``Var_r[d] = 1/2 E_{x,x'~r}[(log q~(x)/q~(x') - log p~(x)/p~(x'))**2]`` compares the
    model's probability *ratios* with the target's, so neither ``Z_p`` nor ``Z_q`` enters.
    It vanishes iff ``q = p`` on the support of ``r``. Gradient ``2 E_r[(d - E_r d) grad u]``.

    Args:
        reference: ``"data"`` (RD-A: training data only, no model sampling),
            ``"model"`` (``r = stop_grad(q)``; its gradient is exactly twice the
            reverse-KL gradient, so it inherits reverse KL's mode collapse) or
            ``"mixture"`` (RD-C: ``r = (1 - mix) data + mix stop_grad(q)``).
        mix: model weight of the mixture, in (0, 1).

    A data-only reference puts no penalty on mass at states absent from the data, so
    always look at ``KL(q || p)`` as well (docs/specs/ebm.md, observation 3).

    References: L. Richter et al., "VarGrad", NeurIPS 2020; N. Nusken & L. Richter,
    Partial Differ. Equ. Appl. 2, 48 (2021) (the log-variance divergence).
    """

    reference: str = "mixture"
    mix: float = 0.5

    def __post_init__(self):
        if self.reference not in _REFS:
            raise OptionError(
                f"LogRatioVariance: reference must be one of {_REFS}, got {self.reference!r}."
            )
        if not 0.0 < self.mix < 1.0:
            raise OptionError(f"LogRatioVariance: mix must lie in (0, 1), got {self.mix}.")

    @property
    def key(self) -> str:
        return f"log_ratio_variance_{self.reference}"

    @property
    def short(self) -> str:
        return {"data": "RD-A", "mixture": "RD-C", "model": "LRV-q"}[self.reference]

    @property
    def label(self) -> str:
        tag = {"data": "RD-A ", "mixture": "RD-C ", "model": ""}[self.reference]
        return f"{tag}log-ratio var ({self.reference})"

    @property
    def uses_data(self) -> bool:
        return self.reference != "model"

    @property
    def uses_model(self) -> bool:
        return self.reference != "data"

    def value(self, data: Terms, model: Terms) -> Array:
        """The objective ``Var_r[d]``: the surrogate's value (the reference is fixed)."""
        return self.loss(data, model)

    def loss(self, data: Terms, model: Terms) -> Array:
        if self.reference == "data":
            return variance(data.w, data.d)
        if self.reference == "model":
            return variance(model.w, model.d)
        w = jnp.concatenate([(1.0 - self.mix) * data.w, self.mix * model.w])
        return variance(w, jnp.concatenate([data.d, model.d]))
