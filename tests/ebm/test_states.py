import jax.numpy as jnp
import numpy as np
import pytest

import bayesfit
from bayesfit.ebm import EnumerationTooLarge
from bayesfit.ebm._states import (
    check_enumerable,
    enumeration_bytes,
    index_to_bits,
    index_to_spins,
    map_states,
    spins_to_index,
)

from .brute import bit_states, spin_states


def test_index_order_matches_bruteforce():
    n = 5
    np.testing.assert_array_equal(index_to_spins(jnp.arange(2**n), n), spin_states(n))
    bits = np.asarray(index_to_bits(jnp.arange(2**3), 3))
    assert {tuple(r) for r in bits} == {tuple(r) for r in bit_states(3)}
    np.testing.assert_array_equal(spins_to_index(jnp.asarray(spin_states(n))),
                                  np.arange(2**n))


def test_map_states_chunks_equal_direct():
    n = 16  # 4 chunks of 2**14
    out = map_states(lambda s: jnp.sum(s * jnp.arange(1, n + 1), axis=-1), n)
    idx = np.arange(2**n)
    direct = (((idx[:, None] >> np.arange(n)) & 1) * 2 - 1) @ np.arange(1, n + 1)
    np.testing.assert_array_equal(out, direct)


def test_refusal_states_memory_and_what_to_do():
    with pytest.raises(EnumerationTooLarge) as err:
        check_enumerable(30, what="SK")
    msg = str(err.value)
    assert "2**30" in msg and "GiB" in msg and "AIS" in msg
    assert isinstance(err.value, bayesfit.BayesfitError)
    assert enumeration_bytes(20) > 2**20 * 8


def test_sample_indices_follow_the_distribution():
    import jax

    from bayesfit.ebm._states import sample_indices

    p = np.array([0.5, 0.0, 0.2, 0.3])
    with np.errstate(divide="ignore"):
        idx = np.asarray(sample_indices(jax.random.key(0), jnp.log(jnp.asarray(p)) + 3.0,
                                        100_000))
    freq = np.bincount(idx, minlength=4) / idx.size
    assert freq[1] == 0.0
    np.testing.assert_allclose(freq, p, atol=0.01)
