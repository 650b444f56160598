"""Finite-temperature Lanczos (FTLM) for spin-1/2 Heisenberg clusters beyond exact ED.

:class:`FtlmCluster` has the observables of :class:`~bayesfit.spin.Cluster` (chi, M, C,
S, gap, bond correlations) for spin-1/2 sites, isotropic exchange in any number of bond
classes and one g, for 16-24 sites and more. Per S^z sector (M >= 0; -M by spin flip):

* sectors of at most ``dense_dim`` states are diagonalised exactly;
* larger ones get their ``exact_states`` lowest states from a fully re-orthogonalised
  Lanczos run (exact low-temperature part), and the rest of the trace from FTLM
  (Jaklic and Prelovsek, PRB 49, 5065 (1994)) with ``vectors`` random vectors projected
  onto the complement of those states, ``steps`` Lanczos steps each.

Everything is a pure JAX function of ``jk`` (couplings in K): the random vectors come
from ``seed``, so a likelihood is deterministic and differentiable. The derivative is the
exact derivative of that deterministic estimate (forward mode through the Lanczos
recursion, Daleckii-Krein for the Ritz sums, exposed by a custom JVP as a small
Jacobian, so reverse mode stores no Krylov vectors). The stochastic error of every
observable is the jackknife over the random vectors (``*_sd`` methods); the
``spin_cluster`` kernel adds it in quadrature to the dataset noise. Design note:
``FTLM.md`` next to this file.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from . import _additive
from ._checks import check_params, positive
from ._cluster import ClusterError, _spin, check_cluster
from ._lanczos import (
    build_tables,
    diagonal,
    flip_indices,
    hi_offsets,
    lanczos_lowest,
    lanczos_tridiagonal,
    make_matvec,
    sector_states,
)
from ._matfun import thermal_moments
from ._thermo import excitation_gap, ground_weights
from ._units import CURIE_CGS, ENERGY_TO_K, MU_B_OVER_K, R_GAS, chi_unit, unit_factor

_GIB = 1024.0**3


@dataclass(frozen=True)
class FTLM:
    """Options of the finite-temperature Lanczos solver.

    ``vectors``: random vectors per sector (stochastic error ~ 1/sqrt(vectors));
    ``steps``: Lanczos steps per vector; ``seed``: fixes the vectors (deterministic fits);
    ``exact_states``: low states per sector treated exactly, found by two fully
    re-orthogonalised Lanczos runs of ``exact_steps`` steps (the second orthogonal to the
    first's states, so that it finds their degenerate partners); ``dense_dim``: sectors
    up to this size are diagonalised densely; ``batch``: vectors processed at once (``None``: chosen
    from ``max_memory_gib``).
    """

    vectors: int = 20
    steps: int = 80
    seed: int = 0
    exact_states: int = 8
    exact_steps: int = 80
    dense_dim: int = 400
    batch: int | None = None

    def __post_init__(self):
        for name in ("vectors", "steps", "exact_states", "exact_steps", "dense_dim"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ClusterError(f"FTLM option {name} = {v!r} must be a positive integer.")
        if self.vectors < 2:
            raise ClusterError(
                f"FTLM option vectors = {self.vectors} must be >= 2 (the stochastic error is "
                "estimated from the spread over the vectors)."
            )
        if self.exact_states >= self.exact_steps:
            raise ClusterError(
                f"FTLM: exact_states = {self.exact_states} must be smaller than exact_steps "
                f"= {self.exact_steps}."
            )
        if not isinstance(self.seed, int) or isinstance(self.seed, bool):
            raise ClusterError(f"FTLM option seed = {self.seed!r} must be an integer.")


class Stats(NamedTuple):
    """Per sector (M >= 0): exact part and per-vector FTLM part of the thermal moments.

    ``exact`` (n_sectors, n_T, 3) and ``sampled`` (n_sectors, vectors, n_T, 3) hold
    ``sum (E - s)^k exp(-(E - s)/T)``, k = 0, 1, 2 (K^k), each sampled entry a full-trace
    estimate of the complement; ``shift`` (n_sectors,) the lowest level of each sector
    (K, no gradient); ``levels`` (n_sectors, exact_states) the exact lowest levels (K;
    +inf where a sector has fewer states).
    """

    exact: jax.Array
    sampled: jax.Array
    shift: jax.Array
    levels: jax.Array


class FtlmCluster:
    """A spin-1/2 Heisenberg cluster evaluated by FTLM with an exact low-energy part.

    Args as :class:`~bayesfit.spin.Cluster` (``spins`` must all be 1/2, one ``g``, no
    anisotropy), plus ``options``, an :class:`FTLM`. Parameters: the coupling names (in
    ``energy_unit``, sign per ``convention``), ``g``, and the additive terms of
    :mod:`bayesfit.spin._additive`. Results per mole of formula units.
    """

    path = "ftlm"

    def __init__(
        self,
        spins: Sequence[Any],
        couplings: Mapping[str, Sequence[Sequence[int]]],
        *,
        convention: str = "+J",
        energy_unit: str = "K",
        formula_units: float = 1,
        g_groups: Mapping[str, Sequence[int]] | None = None,
        anisotropy: Mapping[str, Sequence[int]] | None = None,
        impurity_spin: float = 0.5,
        max_memory_gib: float = 4.0,
        options: FTLM | None = None,
        where: str = "",
    ):
        self.spec = spec = check_cluster(
            spins,
            couplings,
            convention=convention,
            energy_unit=energy_unit,
            formula_units=formula_units,
            g_groups=g_groups,
            anisotropy=anisotropy,
            where=where,
        )
        self._where = w = f"{where}: " if where else ""
        self.options = opt = options if options is not None else FTLM()
        if not isinstance(opt, FTLM):
            raise ClusterError(f"{w}options must be a bayesfit.spin.FTLM, got {opt!r}.")
        if any(ts != 1 for ts in spec.two_s) or spec.d_names or len(spec.g_names) > 1:
            raise ClusterError(
                f"{w}the FTLM solver handles spin-1/2 sites with isotropic exchange and one g; "
                "this cluster has other spins, anisotropy or several g groups. Use the exact "
                'solver (solver = "ed").'
            )
        n = spec.n_sites
        if not 2 <= n <= 30:
            raise ClusterError(f"{w}the FTLM solver takes 2..30 sites, got {n}.")
        self._imp_two_s = _spin(impurity_spin, 0, w)
        self.to_k = ENERGY_TO_K[spec.energy_unit]
        self.bonds = tuple(b for bonds in spec.bonds for b in bonds)
        self.bond_class = tuple(c for c, bonds in enumerate(spec.bonds) for _ in bonds)
        self.tables = build_tables(n)
        threshold = max(opt.dense_dim, 2 * opt.steps, 2 * opt.exact_steps)
        self.sectors = []  # (n_up, dim, hi_offset or None, dense matrices or None)
        for n_up in range((n + 1) // 2, n + 1):
            off, dim = hi_offsets(self.tables, n, n_up)
            self.sectors.append((n_up, dim, off, None if dim > threshold else "dense"))
        self.memory_gib, self.batch = self._memory(float(max_memory_gib))  # before building
        self.sectors = [
            (n_up, dim, off, None if d is None else self._dense(n_up, off, dim))
            for n_up, dim, off, d in self.sectors
        ]
        self.two_m = np.array([2 * s[0] - n for s in self.sectors])
        self.buckets = _buckets(self.sectors)
        self._jit = {
            k: jax.jit(getattr(self, f"_{k}"))
            for k in ("chi", "moment", "thermo", "ground", "stats_at")
        }

    # ------------------------------------------------------------------ construction
    def _dense(self, n_up, off, dim):
        """Dense per-class sector matrices (host, NumPy), shape (n_classes, dim, dim)."""
        t, k = self.tables, np.arange(dim)
        h = np.searchsorted(off, k, side="right") - 1  # NumPy twin of sector_states
        states = (h << t.n_lo) | t.lo_sorted[t.pop_start[n_up - t.hi_pop[h]] + k - off[h]]
        n_cls = len(self.spec.bonds)
        mats = np.zeros((n_cls, dim, dim))
        pos = {int(s): k for k, s in enumerate(states)}
        for (i, j), c in zip(self.bonds, self.bond_class, strict=True):
            for k, s in enumerate(states):
                s = int(s)
                if ((s >> i) ^ (s >> j)) & 1:
                    mats[c, k, k] -= 0.25
                    mats[c, pos[s ^ ((1 << i) | (1 << j))], k] += 0.5
                else:
                    mats[c, k, k] += 0.25
        return mats

    def _memory(self, max_gib):
        opt, n_cls = self.options, len(self.spec.bonds)
        big = max([s[1] for s in self.sectors if s[3] is None], default=0)
        tangents = 1 + n_cls
        fixed = big * (5 * len(self.bonds) + 8 * (opt.exact_steps + 4) * tangents)
        per_vector = big * 8 * 8 * tangents
        budget = max_gib * _GIB - fixed
        if big and budget < per_vector:
            need = (fixed + per_vector) / _GIB
            raise ClusterError(
                f"{self._where}the {self.spec.n_sites}-site FTLM run needs an estimated "
                f"{need:.1f} GiB (largest sector {big} states, exact_steps = "
                f"{opt.exact_steps}, {n_cls} coupling(s)), more than max_memory_gib = "
                f"{max_gib:g}. Lower exact_steps, or raise max_memory_gib if the memory is "
                "there."
            )
        if not big:
            return 0.0, opt.vectors
        batch = opt.batch or int(max(1, min(opt.vectors, budget // per_vector)))
        return (fixed + batch * per_vector) / _GIB, batch

    def __repr__(self) -> str:
        o = self.options
        return (
            f"FtlmCluster(n_sites={self.spec.n_sites}, couplings={list(self.spec.coupling_names)}, "
            f"convention={self.spec.convention!r}, energy_unit={self.spec.energy_unit!r}, "
            f"vectors={o.vectors}, steps={o.steps}, exact_states={o.exact_states}, "
            f"seed={o.seed})"
        )

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return self.spec.parameter_names

    # ------------------------------------------------------------------ the estimator
    def _dense_stats(self, index, jk, betas):
        dim, dense = self.sectors[index][1], self.sectors[index][3]
        k_x = self.options.exact_states
        e = jnp.linalg.eigvalsh(jnp.tensordot(jk, jnp.asarray(dense), axes=1))
        s = jax.lax.stop_gradient(e[0])
        levels = jnp.concatenate([e[:k_x], jnp.full(max(k_x - dim, 0), jnp.inf)])
        sampled = jnp.zeros((self.options.vectors, betas.shape[0], 3))
        return _exact_moments(e - s, betas), sampled, s, levels

    def _bucket_stats(self, bucket, jk, betas):
        """FTLM sectors of similar size, padded to one size and run by one ``lax.map``
        (one compiled body per bucket, one sector in memory at a time)."""
        _, size, n_up, dims, offsets = bucket
        opt, t = self.options, self.tables
        cls = np.asarray(self.bond_class)
        scale = jax.lax.stop_gradient(jnp.sum(jnp.abs(jk[cls])) + 1e-300)

        def sector(args):
            n_up, dim, off = args
            valid = jnp.arange(size) < dim
            states = sector_states(t, off, n_up, dim, size)
            idx, differ = flip_indices(states, off, jnp.asarray(t.lo_rank), self.bonds, t.n_lo)
            differ = differ & valid[None, :]
            matvec = make_matvec(diagonal(differ, cls, jk), idx, differ, 0.5 * jk[cls])
            k0, k1 = jax.random.split(jax.random.fold_in(jax.random.PRNGKey(opt.seed), n_up))

            def unit(key):
                r = jnp.where(valid, jax.random.normal(key, (size,)), 0.0)
                return r / jnp.linalg.norm(r)

            # two runs: the second, orthogonal to the first's states, finds degenerate
            # partners (e.g. +-k states of a ring) a single Krylov space cannot see
            k0, k2 = jax.random.split(k0)
            n1 = (opt.exact_states + 1) // 2
            e, psi, _ = lanczos_lowest(matvec, unit(k0), opt.exact_steps, n1, scale)
            if opt.exact_states > n1:
                e2, psi2, _ = lanczos_lowest(
                    matvec, unit(k2), opt.exact_steps, opt.exact_states - n1, scale, deflate=psi
                )
                e, psi = jnp.concatenate([e, e2]), jnp.concatenate([psi, psi2])
            s = jax.lax.stop_gradient(jnp.min(e))

            def one(key):
                r = unit(key)
                for _ in range(2):
                    r = r - psi.T @ (psi @ r)
                n2 = jnp.vdot(r, r)
                tri = lanczos_tridiagonal(matvec, r / jnp.sqrt(n2), opt.steps, scale)
                return dim.astype(float) * n2 * thermal_moments(tri.alpha, tri.beta, s, betas)

            keys = jax.random.split(k1, opt.vectors)
            if self.batch >= opt.vectors:
                sampled = jax.vmap(one)(keys)
            else:
                sampled = jax.lax.map(one, keys, batch_size=self.batch)
            return _exact_moments(e - s, betas), sampled, s, e

        args = (jnp.asarray(n_up), jnp.asarray(dims, jnp.int32), jnp.asarray(offsets))
        return jax.lax.map(sector, args)

    def _stats_impl(self, jk, betas):
        parts = {}
        for i, sec in enumerate(self.sectors):
            if sec[3] is not None:
                parts[i] = self._dense_stats(i, jk, betas)
        for bucket in self.buckets:
            out = self._bucket_stats(bucket, jk, betas)
            for k, i in enumerate(bucket[0]):
                parts[i] = tuple(o[k] for o in out)
        ordered = [parts[i] for i in range(len(self.sectors))]
        return Stats(*(jnp.stack(p) for p in zip(*ordered, strict=True)))

    def stats(self, jk, betas) -> Stats:
        """:class:`Stats` at inverse temperatures ``betas`` (1/K) for couplings ``jk`` (K,
        convention prefactor included). Differentiable in ``jk`` (custom JVP: the Jacobian
        by forward mode, then a matrix product), not in ``betas``."""
        return _stats(self, jk, jax.lax.stop_gradient(betas))

    # ------------------------------------------------------------------ combinations
    def _combine(self, st: Stats, betas, h):
        """Per temperature (and Zeeman energy ``h = g mu_B B / k_B`` in K per unit M):
        ``(ln Z, <E>, var E, <M>, <M^2>)`` for the plain estimate and each leave-one-out
        (jackknife) estimate; leading axis 1 + vectors. Energies relative to the lowest
        level (K)."""
        r = self.options.vectors
        tot = st.sampled.sum(1)
        loo = st.exact[:, None] + (tot[:, None] - st.sampled) / (r - 1)
        q = jnp.concatenate([(st.exact + tot / r)[:, None], loo], axis=1)  # (S, 1+R, nT, 3)
        q = jnp.moveaxis(q, 1, 0)  # (1+R, S, nT, 3)
        m = self.two_m / 2.0
        msig = jnp.asarray(m[:, None] * np.array([1.0, -1.0]))[None, :, None, :]  # +M, -M
        log_mult = jnp.asarray(np.where(np.arange(2)[None, :] < (m[:, None] > 0) + 1, 0.0,
                                        -np.inf))[None, :, None, :]
        s = (st.shift - jnp.min(st.shift))[None, :, None, None]
        q0 = jnp.maximum(q[..., 0], 1e-300)
        mean = q[..., 1] / q0
        var = jnp.maximum(q[..., 2] / q0 - mean**2, 0.0)
        bt = betas[None, None, :, None]
        zeeman = h[None, None, :, None] * msig
        lw = jnp.log(q0)[..., None] - bt * s + bt * zeeman + log_mult  # (1+R, S, nT, 2)
        log_z = jax.nn.logsumexp(lw, axis=(1, 3))
        p = jnp.exp(lw - log_z[:, None, :, None])
        e_sec = s + mean[..., None] - zeeman
        e_mean = jnp.sum(p * e_sec, axis=(1, 3))
        e_var = jnp.sum(p * (var[..., None] + (e_sec - e_mean[:, None, :, None]) ** 2), (1, 3))
        m_mean = jnp.sum(p * msig, axis=(1, 3))
        m_sq = jnp.sum(p * msig**2, axis=(1, 3))
        return log_z, e_mean, e_var, m_mean, m_sq

    def _unpack(self, params):
        check_params(params, self.spec.parameter_names, self._where)
        sp = self.spec
        jk = jnp.stack([jnp.asarray(params[n], float) for n in sp.coupling_names])
        return jk * sp.prefactor * self.to_k, jnp.asarray(params[sp.g_names[0]], float)

    def _chi(self, params, t):
        """(chi, sd) of the cluster with the additive terms, emu/mol per f.u., at ``t`` (K,
        1-D)."""
        jk, g = self._unpack(params)
        betas = 1.0 / t
        st = self.stats(jk, betas)
        _, _, _, _, m_sq = self._combine(st, betas, jnp.zeros_like(t))
        chi_cl = CURIE_CGS * g**2 * m_sq / t / self.spec.formula_units
        chi = jax.vmap(
            lambda c: _additive.susceptibility(
                params, c, t, g, self.spec.prefactor, self.to_k, self._imp_two_s
            )
        )(chi_cl)
        return chi[0], _jackknife_sd(chi[1:])

    def _moment(self, params, b, t):
        """(M, sd) in mu_B per f.u. at fields ``b`` (T) and ``t`` (K), both 1-D, equal length."""
        jk, g = self._unpack(params)
        betas = 1.0 / t
        st = self.stats(jk, betas)

        def cluster(bb):
            out = self._combine(st, betas, g * MU_B_OVER_K * bb)[3]
            return g * out / self.spec.formula_units

        def total(k):
            return _additive.magnetization(
                params,
                lambda bb: cluster(bb)[k],
                b,
                t,
                g,
                self.spec.prefactor,
                self.to_k,
                self._imp_two_s,
            )

        vals = jnp.stack([total(k) for k in range(1 + self.options.vectors)])
        return vals[0], _jackknife_sd(vals[1:])

    def _thermo(self, params, t, field):
        """((C/k_B, sd), (S/k_B, sd)) per formula unit at ``t`` (K) and ``field`` (T)."""
        jk, g = self._unpack(params)
        betas = 1.0 / t
        st = self.stats(jk, betas)
        h = g * MU_B_OVER_K * jnp.broadcast_to(field, t.shape)
        log_z, e_mean, e_var, _, _ = self._combine(st, betas, h)
        fu = self.spec.formula_units
        c = e_var * betas**2 / fu
        s = (log_z + betas * e_mean) / fu
        return (c[0], _jackknife_sd(c[1:])), (s[0], _jackknife_sd(s[1:]))

    def _ground(self, params):
        """Sorted exact low levels (K) of all sectors with their M, and d E_0 / d jk."""
        jk, _ = self._unpack(params)

        def levels(j):
            return self.stats(j, jnp.ones(1)).levels

        lv = levels(jk)

        def e_ground(j):
            e = levels(j)
            flat = e.reshape(-1)
            finite = jnp.where(jnp.isfinite(flat), flat, jnp.max(jnp.where(
                jnp.isfinite(flat), flat, -jnp.inf)))
            w = ground_weights(finite, jnp.zeros_like(finite))
            return jnp.sum(w * finite)

        return lv, jax.grad(e_ground)(jk)

    def _stats_at(self, params, t):
        jk, _ = self._unpack(params)
        return self.stats(jk, 1.0 / t)

    # ------------------------------------------------------------------ public observables
    def _temps(self, T):
        t = positive(T, "temperature T (K)", self._where)
        return jnp.atleast_1d(t), jnp.shape(t)

    def susceptibility(self, params, T, *, field=None, units: str = "emu/mol", sd=False):
        """Molar susceptibility at ``T`` (K) as :meth:`Cluster.susceptibility`; ``sd=True``
        returns ``(value, stochastic sd)`` (jackknife over the random vectors)."""
        _, factor, times_t = chi_unit(units, where=self._where)
        t, shape = self._temps(T)
        if field is not None and not isinstance(field, jax.core.Tracer) and np.all(field == 0):
            field = None
        if field is None:
            chi, err = self._jit["chi"](params, t)
        else:
            b = positive(field, "measuring field (T)", self._where)
            b = jnp.broadcast_to(b, t.shape)
            m, err = self._jit["moment"](params, b, t)
            from ._units import MU_B_MOLAR_CGS, TESLA_PER_OE

            conv = MU_B_MOLAR_CGS / (b / TESLA_PER_OE)
            chi, err = m * conv, err * conv
        scale = factor * (t if times_t else 1.0)
        out = (chi * scale).reshape(shape), (err * scale).reshape(shape)
        return out if sd else out[0]

    def magnetization(self, params, B, T, *, units: str = "mu_B/f.u.", sd=False):
        """Magnetisation along the field at ``B`` (T) and ``T`` (K) (broadcast together)."""
        _, factor = unit_factor("magnetization", units, where=self._where)
        t = positive(T, "temperature T (K)", self._where)
        b, t = jnp.broadcast_arrays(jnp.asarray(B, float), t)
        m, err = self._jit["moment"](params, b.reshape(-1), t.reshape(-1))
        out = factor * m.reshape(b.shape), factor * err.reshape(b.shape)
        return out if sd else out[0]

    def heat_capacity(self, params, T, *, field=None, units: str = "J/(mol K)", sd=False):
        """Magnetic heat capacity per mole of f.u. at ``T`` (K), optional ``field`` (T)."""
        _, factor = unit_factor("heat_capacity", units, where=self._where)
        t, shape = self._temps(T)
        f = 0.0 if field is None else jnp.asarray(field, float)
        (c, err), _ = self._jit["thermo"](params, t, f)
        out = (factor * R_GAS * c).reshape(shape), (factor * R_GAS * err).reshape(shape)
        return out if sd else out[0]

    def entropy(self, params, T, *, field=None, units: str = "J/(mol K)", sd=False):
        """Magnetic entropy per mole of f.u. at ``T`` (K); -> R N ln 2 / f.u. at high T."""
        _, factor = unit_factor("entropy", units, where=self._where)
        t, shape = self._temps(T)
        f = 0.0 if field is None else jnp.asarray(field, float)
        _, (s, err) = self._jit["thermo"](params, t, f)
        out = (factor * R_GAS * s).reshape(shape), (factor * R_GAS * err).reshape(shape)
        return out if sd else out[0]

    def gap(self, params):
        """E(first excited level) - E(ground), cluster energy unit (from the exact part)."""
        lv, _ = self._jit["ground"](params)
        flat = lv.reshape(-1)
        flat = jnp.where(jnp.isfinite(flat), flat, jnp.max(jnp.where(jnp.isfinite(flat),
                                                                      flat, -jnp.inf)))
        return excitation_gap(flat) / self.to_k

    def bond_correlations(self, params, T=None) -> dict[str, jax.Array]:
        """Ground-level ``<S_i . S_j>`` per bond of each class (Hellmann-Feynman on the
        exact lowest level, averaged over its degenerate members). ``T`` is not supported
        (use the exact solver for thermal correlations)."""
        if T is not None:
            raise ClusterError(f"{self._where}FTLM bond correlations are ground-level only.")
        _, grad = self._jit["ground"](params)
        return {
            n: grad[k] / len(b)
            for k, (n, b) in enumerate(zip(self.spec.coupling_names, self.spec.bonds, strict=True))
        }


def _exact_moments(x, betas):
    """``sum x^k exp(-beta x)``, k = 0, 1, 2, of exact levels ``x`` (K) above the shift."""
    ex = jnp.exp(-betas[:, None] * x[None, :])
    return jnp.stack([ex.sum(-1), ex @ x, ex @ (x * x)], axis=-1)


def _buckets(sectors):
    """Group the FTLM sectors (no dense matrix) into buckets of sizes within a factor 2;
    each: (sector indices, padded size, n_up, dims, hi offsets stacked)."""
    order = sorted((i for i, s in enumerate(sectors) if s[3] is None), key=lambda i: -sectors[i][1])
    groups: list[list[int]] = []
    for i in order:
        if groups and 2 * sectors[i][1] >= sectors[groups[-1][0]][1]:
            groups[-1].append(i)
        else:
            groups.append([i])
    return [
        (
            tuple(g),
            sectors[g[0]][1],
            np.array([sectors[i][0] for i in g], np.int32),
            np.array([sectors[i][1] for i in g]),
            np.stack([sectors[i][2] for i in g]),
        )
        for g in groups
    ]


def _jackknife_sd(loo):
    """Jackknife sd from the leave-one-out estimates (axis 0)."""
    r = loo.shape[0]
    var = (r - 1) / r * jnp.sum((loo - loo.mean(0)) ** 2, axis=0)
    pos = var > 0  # exactly 0 where the sampled part underflows (low T): no NaN gradient
    return jnp.where(pos, jnp.sqrt(jnp.where(pos, var, 1.0)), 0.0)


@partial(jax.custom_jvp, nondiff_argnums=(0,))
def _stats(cluster: FtlmCluster, jk, betas):
    return cluster._stats_impl(jk, betas)


@_stats.defjvp
def _stats_jvp(cluster, primals, tangents):
    jk, betas = primals
    d_jk, _ = tangents

    def f(j):
        return cluster._stats_impl(j, betas)

    eye = jnp.eye(jk.shape[0], dtype=jk.dtype)
    out, jac = jax.vmap(lambda v: jax.jvp(f, (jk,), (v,)), out_axes=(None, 0))(eye)
    tangent = jax.tree.map(lambda j: jnp.tensordot(d_jk, j, axes=1), jac)
    return out, tangent
