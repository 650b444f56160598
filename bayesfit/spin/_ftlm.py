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

This module holds the public class; its parts: :mod:`._ftlm_options` (:class:`FTLM`),
:mod:`._ftlm_sectors` (the host-side plan: dense and sampled sectors, memory),
:mod:`._ftlm_stats` (the Lanczos estimator and its custom JVP), :mod:`._ftlm_thermo`
(thermal averages, jackknife) and :mod:`._ftlm_observables` (the compiled observables).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from . import _ftlm_observables as _obs
from ._checks import positive
from ._cluster import ClusterError, check_structure, impurity_two_s
from ._ftlm_options import FTLM as FTLM
from ._ftlm_sectors import buckets, dense_matrices, memory
from ._ftlm_stats import Stats
from ._ftlm_stats import stats as _stats
from ._lanczos import build_tables, hi_offsets
from ._thermo import excitation_gap
from ._units import ENERGY_TO_K, R_GAS, chi_unit, unit_factor

_OWN = {"impurity_spin", "max_memory_gib", "options", "where"}


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
        impurity_spin: float = 0.5,
        max_memory_gib: float = 4.0,
        options: FTLM | None = None,
        where: str = "",
        **structure: Any,
    ):
        # convention, energy_unit, formula_units, g_groups, ...: checked as for Cluster
        self.spec = spec = check_structure(
            spins, couplings, structure, solver="FtlmCluster", own=_OWN, where=where
        )
        self._where = w = f"{where}: " if where else ""
        self.options = opt = options if options is not None else FTLM()
        if not isinstance(opt, FTLM):
            raise ClusterError(f"{w}options must be a bayesfit.spin.FTLM, got {opt!r}.")
        if any(ts != 1 for ts in spec.two_s) or spec.anisotropic or len(spec.g_names) > 1:
            raise ClusterError(
                f"{w}the FTLM solver handles spin-1/2 sites with isotropic exchange and one g; "
                "this cluster has other spins, anisotropy or several g groups. Use the exact "
                'solver (solver = "ed").'
            )
        n = spec.n_sites
        if not 2 <= n <= 30:
            raise ClusterError(f"{w}the FTLM solver takes 2..30 sites, got {n}.")
        self._imp_two_s = impurity_two_s(impurity_spin, w)
        self.to_k = ENERGY_TO_K[spec.energy_unit]
        self.bonds = tuple(b for bonds in spec.bonds for b in bonds)
        self.bond_class = tuple(c for c, bonds in enumerate(spec.bonds) for _ in bonds)
        self.tables = build_tables(n)
        threshold = max(opt.dense_dim, 2 * opt.steps, 2 * opt.exact_steps)
        self.sectors = []  # (n_up, dim, hi_offset, dense matrices or None): _ftlm_sectors
        for n_up in range((n + 1) // 2, n + 1):
            off, dim = hi_offsets(self.tables, n, n_up)
            self.sectors.append((n_up, dim, off, None if dim > threshold else "dense"))
        n_cls = len(spec.bonds)
        self.memory_gib, self.batch = memory(  # before building
            self.sectors, opt, n, len(self.bonds), n_cls, float(max_memory_gib), w
        )
        self.sectors = [
            (n_up, dim, off, None if d is None else dense_matrices(
                self.tables, n_up, off, dim, self.bonds, self.bond_class, n_cls))
            for n_up, dim, off, d in self.sectors
        ]
        self.two_m = np.array([2 * s[0] - n for s in self.sectors])
        self.buckets = buckets(self.sectors)
        self._jit = {
            k: jax.jit(partial(getattr(_obs, k), self))
            for k in ("chi", "moment", "thermo", "ground", "stats_at")
        }

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

    def stats(self, jk, betas) -> Stats:
        """:class:`Stats` at inverse temperatures ``betas`` (1/K) for couplings ``jk`` (K,
        convention prefactor included). Differentiable in ``jk`` (custom JVP: the Jacobian
        by forward mode, then a matrix product), not in ``betas``."""
        return _stats(self, jk, jax.lax.stop_gradient(betas))

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

