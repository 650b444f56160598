"""Spread independent chains (NUTS) or runs (REMC) over the local JAX devices.

The leading axis of the starting state (chains or runs) is laid out over a one-axis
device mesh with ``jax.sharding.NamedSharding``; ``jit`` then runs each device's share of
the vectorised program where its data lives (computation follows data); chains never
communicate. The per-chain arithmetic is that of one device up to rounding: the
partitioned program may round differently in the last bits (2e-14 after 10 REMC steps on 4
forced CPU devices), which HMC trajectories then amplify like any rounding change, so a
seed gives the same draws at first and the same distribution throughout. With one device,
or a chain count that the device count does not divide, the state stays where it is
(plain ``vmap`` on the default device).
"""

from __future__ import annotations

import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec


def device_count() -> int:
    """The local JAX devices that independent chains can be spread over."""
    return jax.local_device_count()


def shard_leading_axis(tree, n: int | None = None):
    """``tree`` (arrays with a common leading axis of length ``n``) laid out over the local
    devices along that axis; unchanged when there is one device or ``n`` is not a multiple
    of the device count."""
    devices = jax.local_devices()
    leaves = jax.tree_util.tree_leaves(tree)
    if not leaves:
        return tree
    n = n if n is not None else leaves[0].shape[0]
    if len(devices) == 1 or n % len(devices):
        return tree
    mesh = Mesh(np.asarray(devices), ("chains",))
    sharding = NamedSharding(mesh, PartitionSpec("chains"))
    return jax.device_put(tree, sharding)
