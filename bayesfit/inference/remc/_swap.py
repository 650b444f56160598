"""Replica swaps with the deterministic even/odd scheme (DEO) and round-trip counting.

Exchange Monte Carlo (Hukushima & Nemoto 1996, J. Phys. Soc. Jpn. 65, 1604) swaps the
states of neighbouring replicas ``k, k+1`` with probability
``min(1, exp((w_{k+1} - w_k) . (l_k - l_{k+1})))`` where ``w`` are the likelihood weights
of the two targets and ``l`` the per-dataset log likelihoods of the two states (for one
dataset ``w = b`` and this is the familiar ``(b_{k+1} - b_k)(l_k - l_{k+1})``).
DEO (Okabe et al. 2001; Syed et al. 2021, JRSS B 84, 321) proposes the even pairs at even
steps and the odd pairs at odd steps: the index process becomes non-reversible and a
state crosses the ladder in O(K) instead of O(K^2) steps.

A *round trip* is a state (a "machine", labelled at the start) travelling from a
reference to the posterior (the *target* slot) and back to a reference (Syed et al. 2021;
with two references, as in stabilized PT, either end counts: every arrival there is a
restart from an exact reference draw).
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp


def log_swap_ratio(weights, loglik):
    """Log Metropolis ratio of swapping every neighbouring pair, shape ``(K-1,)``.

    ``weights``: ``(K, P)`` weights of the K targets on the features; ``loglik``:
    ``(K, P)`` features (log densities, nats) of the K current states
    (:func:`._moves.features`).
    """
    dw = weights[1:] - weights[:-1]
    dl = loglik[:-1] - loglik[1:]
    r = jnp.sum(jnp.where(dw == 0, 0.0, dw * dl), axis=-1)
    return jnp.where(jnp.isnan(r), -jnp.inf, r)


def swap_probability(log_ratio):
    """``min(1, exp(log_ratio))``: the acceptance probability of each proposed swap."""
    return jnp.exp(jnp.minimum(log_ratio, 0.0))


def deo_permutation(key, log_ratio, parity):
    """Swap the pairs ``(k, k+1)`` with ``k % 2 == parity`` with Metropolis probability.

    Returns ``(perm, accepted)``: the new state of slot ``i`` is the old state of slot
    ``perm[i]``; ``accepted`` ``(K-1,)`` marks the pairs that swapped.
    """
    k = jnp.arange(log_ratio.shape[0])
    u = jax.random.uniform(key, log_ratio.shape)
    accepted = ((k % 2) == parity) & (jnp.log(u) < log_ratio)
    no = jnp.zeros(1, bool)
    up = jnp.concatenate([accepted, no])  # slot i takes the state of slot i+1
    down = jnp.concatenate([no, accepted])  # slot i takes the state of slot i-1
    perm = jnp.arange(log_ratio.shape[0] + 1) + up.astype(int) - down.astype(int)
    return perm, accepted


class RoundTrips(NamedTuple):
    """Index process of the states. ``machine[i]``: label of the state in slot ``i``;
    ``heading[m]``: +1 after machine ``m`` left the reference, -1 after it then reached
    ``b = 1``, 0 before it first visited the reference; ``trips``: completed round trips."""

    machine: jax.Array
    heading: jax.Array
    trips: jax.Array


def init_round_trips(n: int) -> RoundTrips:
    return RoundTrips(jnp.arange(n), jnp.zeros(n, int), jnp.zeros((), int))


def update_round_trips(rt: RoundTrips, perm, target: int = -1, low=True,
                       high=False) -> RoundTrips:
    """Follow the machines through the permutation ``perm`` and count round trips.

    ``target``: the slot of the posterior (static); ``low`` / ``high``: whether the first /
    last slot is a reference (booleans, may be traced).
    """
    machine = rt.machine[perm]
    trips, heading = rt.trips, rt.heading
    for end, active in ((0, low), (-1, high)):
        m = machine[end]
        arrived = jnp.asarray(active) & (heading[m] == -1)
        trips = trips + arrived.astype(int)
        heading = heading.at[m].set(jnp.where(active, 1, heading[m]))
    top = machine[target]
    heading = heading.at[top].set(jnp.where(heading[top] == 1, -1, heading[top]))
    return RoundTrips(machine, heading, trips)
