"""Spread independent chains (NUTS) or runs (REMC) over the local JAX devices.

:func:`split_over_devices` cuts the chains or runs into contiguous blocks, one per device,
each block a single-device array; :func:`map_blocks` calls the sampler on every block from
its own thread, so all devices work at once (and compile at once). Within a block the
chains or runs go one after another through one compiled one-chain (one-run) program,
never a vmapped batch: XLA rounds a batch of width 4 differently from width 1 in the last
bits, and HMC trajectories amplify that to O(1) within a hundred steps. So a chain's
arithmetic is the same whatever the device count, and a seed gives the same draws, bit for
bit, on one device or several (tests/inference/test_devices.py). The cost: each device
compiles the program once (in parallel). Chains never communicate.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import jax
import numpy as np
from jax.sharding import SingleDeviceSharding


def split_over_devices(tree, n: int) -> list:
    """``tree`` (arrays with a common leading axis of length ``n``: independent runs) cut
    into contiguous blocks, one per local device (``n`` runs over ``D`` devices: the first
    ``n % D`` blocks hold one more; no empty blocks), each placed on its device. One
    device: one block."""
    devices = jax.local_devices()[:max(1, n)]
    sizes = np.full(len(devices), n // len(devices))
    sizes[: n % len(devices)] += 1
    edges = np.concatenate([[0], np.cumsum(sizes)])
    return [
        jax.device_put(jax.tree_util.tree_map(lambda a, lo=lo, hi=hi: a[lo:hi], tree),
                       SingleDeviceSharding(dev))
        for dev, lo, hi in zip(devices, edges[:-1], edges[1:], strict=True)
    ]


def join_blocks(blocks: list):
    """The blocks of :func:`split_over_devices` (or of results computed on them) copied
    to the host and joined along the leading axis: NumPy arrays."""
    host = jax.device_get(blocks)
    return jax.tree_util.tree_map(lambda *a: np.concatenate(a, axis=0), *host)


def map_blocks(fn, blocks: list) -> list:
    """``[fn(block) for block in blocks]``, the calls made from one thread per block: each
    device's (asynchronous) work is dispatched at once, and a jitted ``fn``'s first call,
    which compiles it for that block's device, compiles for all devices in parallel."""
    if len(blocks) == 1:
        return [fn(blocks[0])]
    with ThreadPoolExecutor(len(blocks)) as pool:
        return list(pool.map(fn, blocks))
