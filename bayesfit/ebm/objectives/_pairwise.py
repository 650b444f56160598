"""The pairwise log-ratio objective (RD-B), which bayesfit calls "ratio divergence"."""

from __future__ import annotations

from dataclasses import dataclass

from jax import Array

from ._base import Terms, mean, score_term, sg, variance


@dataclass(frozen=True)
class PairwiseLogRatio:
    """``L = 1/2 E_{x ~ data, x' ~ q}[(d(x) - d(x'))**2]``, ``d = log q~ - log p~``.

    ``d(x) - d(x') = log [q(x)/q(x')] / [p(x)/p(x')]`` is the log of the ratio of the
    model's and the target's probability ratios between a training point ``x`` and a model
    point ``x'``: partition-function free, built from data *and* the target energy, one
    argument drawn from each side. Expanding,

        L = 1/2 (Var_data d + Var_q d + J**2),  J = E_q d - E_data d,

    and with data = p, ``J = KL(p||q) + KL(q||p)``: the sum baseline appears squared, next
    to variance terms that penalise energy mismatch under both the data and the model.

    ``q`` here is the live model (not frozen), so the gradient has an explicit part and a
    score-function part, ``E_q[(g - E_q g) grad u]`` with
    ``g(x') = 1/2 E_data[(d(x) - d(x'))**2]``. The explicit part is evaluated in closed
    form, so exact expectations over ``2**n`` model states cost O(N + 2**n), not the
    product.

    ``bayesfit.ebm`` calls this member **ratio divergence** (alias
    :data:`bayesfit.ebm.objectives.RatioDivergence`); see ``bayesfit/ebm/README.md``.
    """

    label = "RD-B pairwise (= ratio divergence)"
    short = "RD-B"
    key = "pairwise"
    uses_data = True
    uses_model = True

    def value(self, data: Terms, model: Terms) -> Array:
        """The objective ``L`` itself (what ``StepInfo.loss`` records)."""
        dd, dq = data.d, model.d
        jump = mean(data.w, dd) - mean(model.w, dq)
        return 0.5 * (variance(data.w, dd) + variance(model.w, dq) + jump * jump)

    def loss(self, data: Terms, model: Terms) -> Array:
        """Surrogate: ``L`` plus the score-function term; its value is not ``L`` (use
        :meth:`value`), its gradient is ``L``'s."""
        g = 0.5 * (sg(mean(data.w, data.d)) - sg(model.d)) ** 2  # g(x') up to a constant
        return self.value(data, model) + score_term(model.w, g, model.u)


#: The member of the family that ``bayesfit.ebm`` calls "ratio divergence".
RatioDivergence = PairwiseLogRatio
