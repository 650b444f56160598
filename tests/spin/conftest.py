"""Run the spin tests with single-threaded BLAS/LAPACK.

The clusters here need many small ``eigh`` calls; OpenBLAS hands each to its thread pool,
and on a busy 2-core machine every hand-off can cost a scheduler time slice (~20 ms for a
28 x 28 matrix that takes 0.1 ms on one thread). ``threadpoolctl`` limits only this
process, only while a spin test runs.
"""

import pytest
from threadpoolctl import threadpool_limits


@pytest.fixture(autouse=True)
def _single_threaded_blas():
    with threadpool_limits(limits=1, user_api="blas"):
        yield
