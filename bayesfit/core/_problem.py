"""A Bayesian estimation problem: priors, datasets sharing parameters, Gaussian likelihood.

Samplers work in an *unconstrained* flat vector ``z``: each free parameter is mapped to
its prior's support by NumPyro's ``biject_to``; :meth:`Problem.log_density_z` includes the
log-Jacobian. ``beta`` multiplies the log likelihood (power posteriors for tempering).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import numpyro
import numpyro.distributions as dist
from numpyro.distributions.transforms import biject_to

from ..errors import BayesfitError
from ._dataset import Dataset
from ._noise import default_noise_prior
from ._order import (
    chain_forward,
    chain_inverse,
    check_order,
    log_chain_factor,
    orbits,
    warn_exchangeable,
)

_LOG_2PI = math.log(2.0 * math.pi)


def _check_prior(name: str, prior: Any) -> dist.Distribution | float:
    if isinstance(prior, dist.Distribution):
        return prior
    if isinstance(prior, int | float | np.floating | np.integer) and not isinstance(prior, bool):
        if not math.isfinite(float(prior)):
            raise BayesfitError(f"parameter {name!r}: fixed value {prior!r} is not finite.")
        return float(prior)
    raise BayesfitError(
        f"parameter {name!r}: expected a numpyro distribution (free) or a number (fixed), "
        f"got {type(prior).__name__}."
    )


def _support_text(prior) -> str:
    lo = getattr(prior.support, "lower_bound", None)
    hi = getattr(prior.support, "upper_bound", None)
    fmt = lambda v, d: d if v is None else f"{float(np.max(v)):g}"  # noqa: E731
    return f"[{fmt(lo, '-inf')}, {fmt(hi, 'inf')}]"


def gaussian_loglik(y, mu, sigma):
    """Pointwise Gaussian log density of ``y`` given mean ``mu`` and sd ``sigma``."""
    r = (y - mu) / sigma
    return -0.5 * r * r - jnp.log(sigma) - 0.5 * _LOG_2PI


def mvn_sequential_loglik(y, mu, chol):
    """Terms ``log p(y_i | y_1..y_{i-1})`` of a multivariate normal with Cholesky factor
    ``chol`` (lower); they sum to the joint log density (nats)."""
    r = jax.scipy.linalg.solve_triangular(chol, y - mu, lower=True)
    return -0.5 * r * r - jnp.log(jnp.diagonal(chol)) - 0.5 * _LOG_2PI


def mvn_eigen_loglik(y, mu, vecs, vals, jitter):
    """Joint log density of ``N(y; mu, C + jitter**2 I)`` from the eigendecomposition
    ``C = vecs diag(vals) vecs^T`` (nats): ``C + j**2 I`` has the same eigenvectors and the
    eigenvalues ``vals + j**2``, so a new jitter costs one product with ``vecs`` (O(n**2))
    instead of a Cholesky factorisation (O(n**3))."""
    r = vecs.T @ (y - mu)
    lam = vals + jnp.square(jitter)
    return -0.5 * (jnp.sum(r * r / lam) + jnp.sum(jnp.log(lam)) + r.size * _LOG_2PI)


def mvn_loo_loglik(y, mu, cov):
    """Leave-one-out terms ``log p(y_i | y_{-i})`` of a multivariate normal (Sundararajan &
    Keerthi 2001; Buerkner, Gabry & Vehtari 2021): with ``P = cov^-1`` and
    ``g = P (y - mu)``, ``y_i | y_-i ~ N(y_i - g_i / P_ii, 1 / P_ii)``. These do not sum to
    the joint density; they are what PSIS-LOO needs for correlated data."""
    prec = jnp.linalg.inv(cov)
    g = prec @ (y - mu)
    d = jnp.diagonal(prec)
    return 0.5 * jnp.log(d) - 0.5 * g * g / d - 0.5 * _LOG_2PI


class Problem:
    """Priors on named parameters and datasets whose models share them.

    Parameters
    ----------
    parameters:
        ``{name: numpyro distribution}`` for free parameters, ``{name: float}`` for fixed
        ones. Noise levels ``sigma_<dataset>`` of datasets without known ``sigma`` are added
        with :func:`default_noise_prior` unless given here.
    datasets:
        One or more :class:`Dataset`; names must be unique.
    units:
        ``{name: unit}`` of each parameter (stored with the results).
    init:
        Optional ``{name: value}`` starting values (must lie inside the prior's support).
    order:
        Ordering constraints: ``["J_a", "J_b"]`` restricts the prior to ``J_a <= J_b`` (a
        change of variables every method respects, :mod:`._order`); a list of such lists
        for several chains. Ordered parameters need identical priors.
    symmetries:
        Exact symmetries of the likelihood as renamings of parameters, e.g.
        ``[{"J_a": "J_b", "J_b": "J_a"}]`` (found for spin clusters by
        ``bayesfit.spin.exchangeable_couplings``); stored with the results and used to
        label mirror optima.
    """

    def __init__(
        self,
        parameters: Mapping[str, Any],
        datasets: Sequence[Dataset] | Dataset,
        *,
        units: Mapping[str, str] | None = None,
        init: Mapping[str, float] | None = None,
        name: str = "problem",
        order: Sequence[Any] | None = None,
        symmetries: Sequence[Mapping[str, str]] | None = None,
    ):
        if isinstance(datasets, Dataset):
            datasets = [datasets]
        self.datasets: tuple[Dataset, ...] = tuple(datasets)
        if not self.datasets:
            raise BayesfitError("a Problem needs at least one Dataset.")
        names = [d.name for d in self.datasets]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise BayesfitError(f"dataset names must be unique; repeated: {sorted(dup)}.")
        params = {k: _check_prior(k, v) for k, v in parameters.items()}
        for ds in self.datasets:
            if ds.estimates_sigma and ds.noise_name not in params:
                params[ds.noise_name] = default_noise_prior(ds.y)
            if ds.cov is not None and ds.jitter and ds.jitter_name not in params:
                params[ds.jitter_name] = dist.HalfNormal(float(np.sqrt(np.mean(np.diag(ds.cov)))))
        self.name = name
        self.free: dict[str, dist.Distribution] = {
            k: v for k, v in params.items() if isinstance(v, dist.Distribution)
        }
        self.fixed: dict[str, float] = {k: v for k, v in params.items() if isinstance(v, float)}
        self.units = dict(units or {})
        for ds in self.datasets:
            if ds.estimates_sigma:
                self.units.setdefault(ds.noise_name, ds.units.get("y", ""))
            if ds.cov is not None and ds.jitter:
                self.units.setdefault(ds.jitter_name, ds.units.get("y", ""))
        self._chol = {ds.name: np.linalg.cholesky(ds.cov) for ds in self.datasets
                      if ds.cov is not None and not ds.jitter}
        # a fitted jitter: the eigenvectors of cov, once (the joint density is then O(n**2)
        # an evaluation, see mvn_eigen_loglik)
        self._eigh = {ds.name: np.linalg.eigh(ds.cov) for ds in self.datasets
                      if ds.cov is not None and ds.jitter}
        self.shapes = {
            k: tuple(d.batch_shape) + tuple(d.event_shape) for k, d in self.free.items()
        }
        self.sizes = {k: int(np.prod(s)) for k, s in self.shapes.items()}
        self.dim = sum(self.sizes.values())
        self._bijectors = {k: biject_to(d.support) for k, d in self.free.items()}
        self.order: tuple[tuple[str, ...], ...] = check_order(order, self.free, self.shapes)
        for k in (k for chain in self.order for k in chain):
            t = self._bijectors[k](jnp.array([-1.0, 0.0, 1.0]))
            if not bool(jnp.all(jnp.diff(t) > 0)):
                raise BayesfitError(
                    f"order: the prior of {k!r} ({self.free[k]!r}) has a support whose "
                    "transform is not increasing; use a Uniform, Normal or positive prior.")
        self._log_order_factor = log_chain_factor(self.order)
        self.symmetries = tuple(dict(m) for m in (symmetries or ()))
        warn_exchangeable(self.exchangeable, self.order, name)
        self.init = self._check_init(init or {})
        self._check_init_order()
        self._check_models()

    # -- validation ------------------------------------------------------------------
    def _check_init(self, init: Mapping[str, float]) -> dict[str, np.ndarray]:
        out = {}
        for k, v in init.items():
            if k not in self.free:
                raise BayesfitError(
                    f"initial value given for {k!r}, which is not a free parameter "
                    f"(free: {sorted(self.free)})."
                )
            v = np.broadcast_to(np.asarray(v, dtype=float), self.shapes[k])
            if not bool(np.all(self.free[k].support(jnp.asarray(v)))):
                raise BayesfitError(
                    f"parameter {k!r}: initial value {v.tolist()} lies outside the support "
                    f"{_support_text(self.free[k])} of its {type(self.free[k]).__name__} prior; "
                    "move the initial value or widen the prior."
                )
            out[k] = v
        return out

    def _check_init_order(self) -> None:
        for chain in self.order:
            vals = [float(self.init[k]) for k in chain if k in self.init]
            if len(vals) == len(chain) and any(b < a for a, b in zip(vals, vals[1:],
                                                                      strict=False)):
                raise BayesfitError(
                    f"initial values {dict(zip(chain, vals, strict=True))} break the ordering "
                    f"constraint {' <= '.join(chain)}; reorder them.")

    @property
    def adaptive_cost(self) -> bool:
        """Whether some dataset's model has a parameter-dependent cost
        (:attr:`Dataset.adaptive_cost`): batched samplers loop over points on a CPU."""
        return any(d.adaptive_cost for d in self.datasets)

    @property
    def exchangeable(self) -> list[list[str]]:
        """Groups of parameters exchanged by the symmetries (orbits with more than one name)."""
        return orbits(self.symmetries)

    def _check_models(self) -> None:
        params = {k: jax.ShapeDtypeStruct(s, jnp.float64) for k, s in self.shapes.items()}
        params.update({k: jax.ShapeDtypeStruct((), jnp.float64) for k in self.fixed})
        for ds in self.datasets:
            try:
                out = jax.eval_shape(ds.model, params, jnp.asarray(ds.x))
            except KeyError as err:
                raise BayesfitError(
                    f"dataset {ds.name!r}: its model needs parameter {err.args[0]!r}, which is "
                    f"not defined. Defined: {sorted(params)}. Add it (with a prior or a fixed "
                    "value) or fix the model."
                ) from None
            if tuple(out.shape) != tuple(ds.y.shape):
                raise BayesfitError(
                    f"dataset {ds.name!r}: model returns shape {tuple(out.shape)} but the data "
                    f"have shape {tuple(ds.y.shape)}."
                )

    # -- parameter vectors -------------------------------------------------------------
    @property
    def parameter_names(self) -> list[str]:
        """Names of the free parameters, in the order of the flat vector ``z``."""
        return list(self.free)

    def split(self, z) -> dict[str, Any]:
        """Unconstrained flat vector -> dict of the slots of each parameter in ``z``."""
        out, i = {}, 0
        for k, s in self.shapes.items():
            out[k] = z[i : i + self.sizes[k]].reshape(s)
            i += self.sizes[k]
        return out

    def _unconstrained(self, z):
        """``z`` -> per-parameter unconstrained values ``u`` (ordered chains applied) and
        the log-Jacobian of the ordering transforms."""
        u = self.split(z)
        log_det = 0.0
        for chain in self.order:
            vals, ld = chain_forward(jnp.stack([u[k] for k in chain]))
            u.update({k: vals[i] for i, k in enumerate(chain)})
            log_det = log_det + ld
        return u, log_det

    def constrain(self, z) -> dict[str, Any]:
        """Unconstrained flat vector -> free parameters in their natural units."""
        return {k: self._bijectors[k](u) for k, u in self._unconstrained(z)[0].items()}

    def unconstrain(self, values: Mapping[str, Any]):
        """Free parameters (natural units) -> unconstrained flat vector."""
        u = {k: self._bijectors[k].inv(jnp.asarray(values[k], dtype=jnp.float64))
             for k in self.free}
        for chain in self.order:
            slots = chain_inverse(jnp.stack([u[k] for k in chain]))
            u.update({k: slots[i] for i, k in enumerate(chain)})
        parts = [jnp.ravel(u[k]) for k in self.free]
        return jnp.concatenate(parts) if parts else jnp.zeros(0)

    def full(self, free_values: Mapping[str, Any]) -> dict[str, Any]:
        """Free values merged with the fixed parameters (what models receive)."""
        out = {k: jnp.asarray(v) for k, v in self.fixed.items()}
        out.update(free_values)
        return out

    def noise(self, ds: Dataset, params: Mapping[str, Any]):
        """Noise level of ``ds`` under ``params`` (known or estimated); for a correlated
        dataset the square root of the diagonal of :meth:`noise_cov`. The model's own error
        ``ds.model_sd`` (e.g. FTLM's stochastic error) is added in quadrature."""
        if ds.cov is not None:
            return jnp.sqrt(jnp.diagonal(self.noise_cov(ds, params)))
        sigma = ds.sigma if ds.sigma is not None else params[ds.noise_name]
        if ds.model_sd is None:
            return sigma
        model = ds.model_sd(params, jnp.asarray(ds.x))
        return jnp.sqrt(jnp.square(sigma) + jnp.square(model))

    def noise_cov(self, ds: Dataset, params: Mapping[str, Any]):
        """Noise covariance of a correlated dataset: ``cov + jitter**2 I``."""
        cov = jnp.asarray(ds.cov)
        if ds.jitter:
            cov = cov + params[ds.jitter_name] ** 2 * jnp.eye(ds.n)
        return cov

    def _chol_of(self, ds: Dataset, params: Mapping[str, Any]):
        if ds.name in self._chol:
            return jnp.asarray(self._chol[ds.name])
        return jnp.linalg.cholesky(self.noise_cov(ds, params))

    def noise_draw(self, ds: Dataset, params: Mapping[str, Any], key):
        """One draw of the noise of ``ds`` (correlated when it carries a covariance)."""
        eps = jax.random.normal(key, jnp.shape(ds.y))
        if ds.cov is not None:
            return self._chol_of(ds, params) @ eps
        return self.noise(ds, params) * eps

    def _dataset_loglik(self, ds: Dataset, p: Mapping[str, Any]):
        if ds.cov is not None:
            return mvn_sequential_loglik(jnp.asarray(ds.y), ds.predict(p), self._chol_of(ds, p))
        return gaussian_loglik(ds.y, ds.predict(p), self.noise(ds, p))

    def _dataset_total(self, ds: Dataset, p: Mapping[str, Any]):
        """Log likelihood of one dataset (nats), without its per-point terms where a
        cheaper route exists (a correlated dataset with a fitted jitter)."""
        if ds.name in self._eigh:
            vals, vecs = self._eigh[ds.name]
            return mvn_eigen_loglik(jnp.asarray(ds.y), ds.predict(p), jnp.asarray(vecs),
                                    jnp.asarray(vals), p[ds.jitter_name])
        return jnp.sum(self._dataset_loglik(ds, p))

    def dataset_log_likelihoods(self, free_values: Mapping[str, Any]) -> dict[str, Any]:
        """``{dataset name: log likelihood}`` (nats), each the sum of its pointwise terms
        (:meth:`pointwise_log_likelihood`), computed directly: what samplers evaluate."""
        p = self.full(free_values)
        return {ds.name: self._dataset_total(ds, p) for ds in self.datasets}

    # -- densities ----------------------------------------------------------------------
    def log_prior(self, free_values: Mapping[str, Any]):
        """Sum of the prior log densities of the free parameters (natural units); with
        ordering constraints, ``+ log k!`` per chain (the prior restricted to the ordered
        region, renormalised; the caller keeps the values ordered)."""
        lp = sum(jnp.sum(d.log_prob(free_values[k])) for k, d in self.free.items())
        return lp + self._log_order_factor if self.order else lp

    def pointwise_log_likelihood(self, free_values: Mapping[str, Any]) -> dict[str, Any]:
        """``{dataset name: per-point log likelihood}``; they sum to the log likelihood.

        Correlated datasets (with ``cov``) give the chain-rule terms
        ``log p(y_i | y_<i)`` (multivariate normal); see
        :meth:`loo_pointwise_log_likelihood` for the terms PSIS-LOO needs.
        """
        p = self.full(free_values)
        return {ds.name: self._dataset_loglik(ds, p) for ds in self.datasets}

    def loo_pointwise_log_likelihood(self, free_values: Mapping[str, Any]) -> dict[str, Any]:
        """``{dataset name: log p(y_i | y_-i, theta)}``: equal to the pointwise likelihood for
        independent noise, the leave-one-out conditionals for correlated datasets."""
        p = self.full(free_values)
        out = {}
        for ds in self.datasets:
            if ds.cov is not None:
                out[ds.name] = mvn_loo_loglik(jnp.asarray(ds.y), ds.predict(p),
                                              self.noise_cov(ds, p))
            else:
                out[ds.name] = gaussian_loglik(ds.y, ds.predict(p), self.noise(ds, p))
        return out

    def log_likelihood(self, free_values: Mapping[str, Any]):
        """Total log likelihood (sum over datasets and points)."""
        return sum(self.dataset_log_likelihoods(free_values).values())

    def log_posterior(self, free_values: Mapping[str, Any]):
        """Unnormalised log posterior in natural units (no Jacobian)."""
        return self.log_prior(free_values) + self.log_likelihood(free_values)

    def log_jacobian(self, z):
        """log |d constrain / d z| (per-parameter bijectors and ordering transforms)."""
        us, tot = self._unconstrained(z)
        for k, u in us.items():
            b = self._bijectors[k]
            tot = tot + jnp.sum(b.log_abs_det_jacobian(u, b(u)))
        return tot

    def log_prior_z(self, z):
        """Log prior density of the unconstrained vector (with Jacobian)."""
        return self.log_prior(self.constrain(z)) + self.log_jacobian(z)

    def log_likelihood_z(self, z):
        return self.log_likelihood(self.constrain(z))

    def log_density_z(self, z, beta=1.0):
        """``log prior(z) + beta * log likelihood(z)``: the tempered target in z."""
        return self.log_prior_z(z) + beta * self.log_likelihood_z(z)

    @cached_property
    def jitted(self):
        """Jitted ``(log_density_z, grad, log_likelihood_z, log_prior_z)``."""
        return (
            jax.jit(self.log_density_z),
            jax.jit(jax.value_and_grad(self.log_density_z)),
            jax.jit(self.log_likelihood_z),
            jax.jit(self.log_prior_z),
        )

    # -- starting points -----------------------------------------------------------------
    def sample_prior_z(self, key, n: int):
        """``n`` draws from the prior, as unconstrained vectors, shape ``(n, dim)``.

        User-given initial values replace the draws of their parameters in row 0.
        """
        keys = jax.random.split(key, len(self.free) + 1)
        draws = {k: d.sample(kk, (n,)) for kk, (k, d) in zip(keys, self.free.items(), strict=False)}
        for chain in self.order:  # sorted iid draws = draws of the ordered prior
            vals = jnp.sort(jnp.stack([draws[k] for k in chain], axis=-1), axis=-1)
            draws.update({k: vals[:, i] for i, k in enumerate(chain)})
        z = jax.vmap(lambda v: self.unconstrain(v))(draws)
        if self.init:
            first = {k: draws[k][0] for k in self.free}
            first.update({k: jnp.asarray(v) for k, v in self.init.items()})
            for chain in self.order:
                vals = jnp.sort(jnp.stack([first[k] for k in chain]))
                first.update({k: vals[i] for i, k in enumerate(chain)})
            z = z.at[0].set(self.unconstrain(first))
        return z

    # -- NumPyro --------------------------------------------------------------------------
    def numpyro_model(self) -> None:
        """The plain NumPyro model of this problem (priors, then one likelihood per dataset).

        Use it anywhere NumPyro models go: ``numpyro.infer.MCMC(NUTS(problem.numpyro_model))``.
        """
        free = {k: numpyro.sample(k, d) for k, d in self.free.items()}
        for chain in self.order:  # the prior restricted to the ordered region
            vals = jnp.stack([free[k] for k in chain])
            ok = jnp.all(jnp.diff(vals) >= 0)
            numpyro.factor(f"order_{'_'.join(chain)}",
                           jnp.where(ok, math.lgamma(len(chain) + 1), -jnp.inf))
        p = self.full(free)
        for ds in self.datasets:
            mu = ds.predict(p)
            numpyro.deterministic(f"mu_{ds.name}", mu)
            if ds.cov is not None:
                noise = dist.MultivariateNormal(mu, scale_tril=self._chol_of(ds, p))
                numpyro.sample(ds.name, noise, obs=jnp.asarray(ds.y))
            else:
                numpyro.sample(ds.name, dist.Normal(mu, self.noise(ds, p)), obs=jnp.asarray(ds.y))

    def __repr__(self) -> str:
        order = f", order={[list(c) for c in self.order]}" if self.order else ""
        return (
            f"Problem(free={self.parameter_names}, fixed={sorted(self.fixed)}, "
            f"datasets={[d.name for d in self.datasets]}{order})"
        )
