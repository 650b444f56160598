"""Forward KL (maximum likelihood / PCD), reverse KL (score function) and their sum."""

from __future__ import annotations

from dataclasses import dataclass

from jax import Array

from ._base import Terms, mean, score_term


@dataclass(frozen=True)
class ForwardKL:
    """``KL(p_data || q)``: maximum likelihood, the usual RBM training.

    Gradient ``-E_data[grad u] + E_q[grad u]``: data plus model samples (the negative
    phase, from PCD or exact enumeration); the target energy is not used.
    Surrogate ``-E_data[u] + E_q[u]`` (its value is not the KL; only its gradient is).

    Reference: G. E. Hinton, Neural Comput. 14, 1771 (2002).
    """

    label = "forward KL"
    short = "fwd KL"
    key = "forward_kl"
    uses_data = True
    uses_model = True

    def loss(self, data: Terms, model: Terms) -> Array:
        return -mean(data.w, data.u) + mean(model.w, model.u)


@dataclass(frozen=True)
class ReverseKL:
    """``KL(q || p)`` by the score-function (REINFORCE) estimator.

    Gradient ``Cov_q(d, grad u) = E_q[(d - E_q d) grad u]``: model samples and the target
    energy; the data are not used. Surrogate ``E_q[stop_grad(d - E_q d) u]``. With ``M``
    equally weighted samples the sample-mean baseline scales the gradient by
    ``(M - 1)/M``, which Adam absorbs.

    Reference: R. J. Williams, Mach. Learn. 8, 229 (1992); for EBMs see e.g.
    D. Wu, L. Wang & P. Zhang, Phys. Rev. Lett. 122, 080602 (2019).
    """

    label = "reverse KL"
    short = "rev KL"
    key = "reverse_kl"
    uses_data = False
    uses_model = True

    def loss(self, data: Terms, model: Terms) -> Array:
        return score_term(model.w, model.d, model.u)


@dataclass(frozen=True)
class Jeffreys:
    """``KL(p || q) + KL(q || p)``: the sum of :class:`ForwardKL` and
    :class:`ReverseKL` gradients (the "direct baseline" of Ishida et al. 2024)."""

    label = "sum (fwd + rev KL)"
    short = "sum"
    key = "jeffreys"
    uses_data = True
    uses_model = True

    def loss(self, data: Terms, model: Terms) -> Array:
        return ForwardKL().loss(data, model) + ReverseKL().loss(data, model)
