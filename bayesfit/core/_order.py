"""Ordering constraints ``a <= b <= ...`` between free parameters, as a bijection.

A chain ``order = ["J_a", "J_b", "J_c"]`` restricts the prior to ``J_a <= J_b <= J_c``
(used to pick one of the mirror modes of exchangeable couplings). It is a change of
variables, not a penalty, so every method (MAP, NUTS, emcee, REMC) samples the
restricted posterior with no rejected region:

* each parameter's own bijector ``T`` (NumPyro ``biject_to(support)``, increasing) maps
  an unconstrained ``u_i`` to its value ``x_i = T(u_i)``; the parameters of a chain must
  have the same prior, so ``u_1 <= u_2`` iff ``x_1 <= x_2``;
* the chain's slots of the flat vector ``z`` hold ``(u_1, log(u_2 - u_1), ...)``:
  ``u_1 = z_1``, ``u_k = u_{k-1} + exp(z_k)`` (NumPyro's ``OrderedTransform``), whose
  log-Jacobian is ``z_2 + ... + z_k``.

Because the priors are identical, the ordered region holds exactly ``1 / k!`` of the
prior mass: the prior density is multiplied by ``k!`` there, so the restricted prior stays
normalised (evidences of ordered and unordered fits of a symmetric model agree).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import numpyro.distributions as dist

from ..errors import BayesfitError


def _same_prior(a: dist.Distribution, b: dist.Distribution) -> bool:
    if type(a) is not type(b):
        return False
    la, ta = jax.tree_util.tree_flatten(a)
    lb, tb = jax.tree_util.tree_flatten(b)
    if ta != tb or len(la) != len(lb):
        return False
    return all(np.shape(x) == np.shape(y) and np.allclose(x, y) for x, y in zip(la, lb,
                                                                                  strict=True))


def check_order(order: Any, free: Mapping[str, dist.Distribution], shapes) -> tuple:
    """Validate ``order`` (one list of names, or a list of such lists) against the free
    parameters; return a tuple of chains (tuples of names)."""
    if order is None or (isinstance(order, Sequence) and len(order) == 0):
        return ()
    if isinstance(order, str) or not isinstance(order, Sequence):
        raise BayesfitError(f"order = {order!r}: give a list of parameter names such as "
                            "[\"J_a\", \"J_b\"] (meaning J_a <= J_b), or a list of such lists.")
    chains = [order] if all(isinstance(x, str) for x in order) else list(order)
    out, seen = [], set()
    for chain in chains:
        if isinstance(chain, str) or not isinstance(chain, Sequence) or len(chain) < 2 or \
                not all(isinstance(x, str) for x in chain):
            raise BayesfitError(f"order: {chain!r} must be a list of at least two parameter "
                                "names, e.g. [\"J_a\", \"J_b\"] for J_a <= J_b.")
        for name in chain:
            if name not in free:
                raise BayesfitError(
                    f"order: {name!r} is not a free parameter (free: {sorted(free)}); "
                    "only free scalar parameters can be ordered.")
            if shapes[name] != ():
                raise BayesfitError(f"order: parameter {name!r} has shape {shapes[name]}; "
                                    "only scalar parameters can be ordered.")
            if name in seen:
                raise BayesfitError(f"order: parameter {name!r} appears in more than one place; "
                                    "each parameter may be ordered once (use one chain).")
            seen.add(name)
        first = free[chain[0]]
        for name in chain[1:]:
            if not _same_prior(first, free[name]):
                raise BayesfitError(
                    f"order {list(chain)}: {name!r} has prior {free[name]!r} but "
                    f"{chain[0]!r} has {first!r}; ordered parameters need the same prior "
                    "(that is what makes them exchangeable). Give them identical priors.")
        out.append(tuple(chain))
    return tuple(out)


def log_chain_factor(chains) -> float:
    """``sum log k!`` over the chains: the prior renormalisation of the ordered region."""
    return float(sum(math.lgamma(len(c) + 1) for c in chains))


def chain_forward(z_chain):
    """Chain slots ``(z_1, ..., z_k)`` -> increasing ``(u_1, ..., u_k)`` and log-Jacobian."""
    steps = jnp.concatenate([z_chain[:1], jnp.exp(z_chain[1:])])
    return jnp.cumsum(steps), jnp.sum(z_chain[1:])


def chain_inverse(u_chain):
    """Increasing ``(u_1, ..., u_k)`` -> chain slots ``(u_1, log(u_2 - u_1), ...)``."""
    return jnp.concatenate([u_chain[:1], jnp.log(jnp.diff(u_chain))])


class ExchangeableWarning(UserWarning):
    """Parameters exchanged by an exact symmetry of the model: the posterior has mirror
    modes (issued when no ordering constraint picks one)."""


def orbits(symmetries) -> list[list[str]]:
    """Groups of names exchanged by the renamings ``symmetries`` (size > 1)."""
    groups: list[set[str]] = []
    for m in symmetries:
        for a, b in m.items():
            if a == b:
                continue
            hit = [g for g in groups if a in g or b in g]
            merged = set().union({a, b}, *hit)
            groups = [g for g in groups if g not in hit] + [merged]
    return sorted(sorted(g) for g in groups)


def warn_exchangeable(groups, chains, where: str = "") -> None:
    """Warn about exchangeable groups that no ordering chain covers."""
    ordered = {k for c in chains for k in c}
    loose = [g for g in groups if not set(g) <= ordered]
    if not loose:
        return
    text = "; ".join(" <-> ".join(g) for g in loose)
    hint = " and ".join("order = [" + ", ".join(f'"{n}"' for n in g) + "]" for g in loose)
    warnings.warn(
        f"{where + ': ' if where else ''}{text} are exchanged by an exact symmetry of the "
        "model (for a spin cluster: same spins, g groups and anisotropy): the data cannot "
        "tell them apart and the posterior has mirror modes, reported mode by mode (the "
        f"result's `optima`). To keep one mode, add {hint} to [parameters] (identical "
        "priors), i.e. Problem(order=...).", ExchangeableWarning, stacklevel=3)
