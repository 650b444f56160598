"""Optional additive terms that real susceptibility and magnetisation data need.

Each term is switched on by its key being present in the parameter dict:

``chi0`` (emu/mol)
    temperature-independent susceptibility (core diamagnetism + Van Vleck); adds
    ``chi0`` to chi and ``chi0 * H`` to M (H in Oe; M converted to mu_B/f.u.).
``rho_imp`` (impurity spins per formula unit, dimensionless), ``theta_imp`` (K, default 0)
    paramagnetic impurities of spin ``impurity_spin`` with factor ``g_imp`` (default: the
    mean g of the cluster): ``chi += rho C_S / (T - theta_imp)``,
    ``C_S = N_A g^2 mu_B^2 S(S+1) / (3 k_B)``; in M the Brillouin function
    ``rho g <m>`` at ``x = g mu_B B / k_B (T - theta_imp)`` (exact, no small-field limit).
``theta`` (K)
    Weiss temperature of the cluster part, ``chi_cl -> chi_cl T / (T - theta)``
    (susceptibility observables only; it has no standard meaning for M(B)).
``zJ`` (cluster energy unit, cluster sign convention)
    inter-cluster mean field (Kahn, *Molecular Magnetism*, eq. 7.3; PHI's zJ):
    ``chi = chi_cl / (1 - lambda chi_cl)`` with ``lambda = -c zJ / (N_A g^2 mu_B^2)``, c the
    convention prefactor (``-2J``: ``lambda = 2 zJ / (N_A g^2 mu_B^2)``, PHI's form), g the
    mean g. In M(B) the same field ``H_eff = H + lambda M`` is solved self-consistently.

``theta`` and ``theta_imp`` must stay below the lowest measured temperature (choose priors
accordingly); nothing is clipped.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from ._units import CURIE_CGS, MU_B_MOLAR_CGS, MU_B_OVER_K, TESLA_PER_OE

_NEWTON_STEPS = 6


def mean_field_lambda(params, g_mean, prefactor: float, to_k: float):
    """``lambda`` (mol/emu) of the mean-field term, 0 when ``zJ`` is absent."""
    if "zJ" not in params:
        return 0.0
    return -prefactor * params["zJ"] * to_k / (CURIE_CGS * g_mean**2)


def impurity_moment(params, g_mean, two_s: int, b, t):
    """Impurity moment (mu_B per formula unit) at field ``b`` (T) and ``t`` (K)."""
    if "rho_imp" not in params:
        return 0.0
    g = params.get("g_imp", g_mean)
    m = jnp.asarray(np.arange(-two_s, two_s + 1, 2) / 2.0)
    x = (
        g
        * MU_B_OVER_K
        * jnp.asarray(b)[..., None]
        / (jnp.asarray(t)[..., None] - params.get("theta_imp", 0.0))
    )
    return params["rho_imp"] * g * jnp.sum(jax.nn.softmax(x * m, axis=-1) * m, axis=-1)


def impurity_chi(params, g_mean, two_s: int, t):
    """Zero-field impurity Curie(-Weiss) susceptibility (emu/mol per formula unit)."""
    if "rho_imp" not in params:
        return 0.0
    g = params.get("g_imp", g_mean)
    s = two_s / 2.0
    return (
        params["rho_imp"]
        * CURIE_CGS
        * g**2
        * s
        * (s + 1)
        / 3.0
        / (t - params.get("theta_imp", 0.0))
    )


def susceptibility(params, chi_cl, t, g_mean, prefactor, to_k, imp_two_s, field=None):
    """Total chi (emu/mol per f.u.) from the cluster part ``chi_cl`` (emu/mol per f.u.).

    ``field`` (T): chi is M/B at that field; the impurity part is then the exact
    Brillouin M/B, the Weiss and mean-field corrections their linear-response forms.
    """
    if "theta" in params:
        chi_cl = chi_cl * t / (t - params["theta"])
    lam = mean_field_lambda(params, g_mean, prefactor, to_k)
    chi = chi_cl / (1.0 - lam * chi_cl)
    if field is None:
        chi = chi + impurity_chi(params, g_mean, imp_two_s, t)
    elif "rho_imp" in params:
        m_imp = impurity_moment(params, g_mean, imp_two_s, field, t)
        chi = chi + m_imp * MU_B_MOLAR_CGS / (field / TESLA_PER_OE)
    return chi + params.get("chi0", 0.0)


def magnetization(params, moment_cl, b, t, g_mean, prefactor, to_k, imp_two_s, first=None):
    """Total M (mu_B per f.u.); ``moment_cl(B_eff)`` is the cluster part per f.u. at ``t``.

    ``first``: ``moment_cl(b)`` when the caller has it already (computed on a grid of
    unique fields); the mean-field iterations evaluate ``moment_cl`` at shifted fields.

    With ``zJ`` the cluster moment solves ``M = M_cl(B + kappa M)``,
    ``kappa = lambda N_A mu_B 1e-4`` (T per mu_B/f.u.), by a fixed number of Newton steps
    started from ``M_cl(B)`` (exact to rounding when ``|lambda chi| < 1/2``).
    """
    b = jnp.asarray(b, float)
    m = moment_cl(b) if first is None else first
    if "zJ" in params:
        kappa = mean_field_lambda(params, g_mean, prefactor, to_k) * MU_B_MOLAR_CGS * TESLA_PER_OE

        def newton(_, m):
            val, slope = jax.jvp(moment_cl, (b + kappa * m,), (jnp.ones_like(b),))
            return m - (m - val) / (1.0 - kappa * slope)

        m = jax.lax.fori_loop(0, _NEWTON_STEPS, newton, m)
    m = m + impurity_moment(params, g_mean, imp_two_s, b, t)
    return m + params.get("chi0", 0.0) * (b / TESLA_PER_OE) / MU_B_MOLAR_CGS
