"""Keep BLAS/LAPACK single-threaded: bayesfit's linear algebra is many small matrices.

jaxlib's CPU ``eigh`` calls the LAPACK of SciPy's bundled OpenBLAS. With its default thread
pool, a 28x28 ``eigvalsh`` took 30-50 ms on the 2-core CI machine under load (threads
spin-waiting for each other) instead of ~0.1 ms single-threaded: 100x. Parallelism comes
from vmapping over chains and replicas instead. Set ``BAYESFIT_BLAS_THREADS=n`` to allow
``n`` threads (e.g. for very large clusters); ``0`` leaves the libraries' defaults alone.
"""

from __future__ import annotations

import os
import sys


def limit_blas_threads() -> None:
    n = int(os.environ.get("BAYESFIT_BLAS_THREADS", "1"))
    if n <= 0:
        return
    for var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
        os.environ.setdefault(var, str(n))  # effective when the libraries load later
    if not any(m in sys.modules for m in ("numpy", "scipy", "jaxlib")):
        return  # nothing loaded yet: the variables above are enough (and cost nothing)
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl is a dependency
        return
    threadpool_limits(limits=n, user_api="blas")  # for libraries already loaded
