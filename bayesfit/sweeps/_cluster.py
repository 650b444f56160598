"""Where the fits of a sweep run: an embedded local Dask cluster, or an existing one.

The embedded cluster is a ``distributed.LocalCluster`` of worker *processes* with one
thread each (JAX and its compiled functions are not shared between fits, and one fit per
process keeps XLA's own threads from fighting), started with the ``spawn`` method so that
no JAX runtime is forked. Any other cluster is reached by its scheduler address, e.g. one
started by dask-jobqueue on Slurm or PBS (see ``bayesfit/sweeps/README.md``).
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os

from ..errors import BayesfitError


def _has_dashboard() -> bool:
    return importlib.util.find_spec("bokeh") is not None


def check_connect_timeout(seconds: float) -> None:
    """Refuse a scheduler connect timeout that is not a positive number of seconds."""
    if not seconds > 0:
        raise BayesfitError(f"--connect-timeout {seconds} (connect_timeout=): must be > 0 "
                            "seconds, how long to wait for the scheduler to answer.")


@contextlib.contextmanager
def dask_client(scheduler=None, *, workers: int | None = None, n_tasks: int = 1,
                connect_timeout: float = 10.0):
    """Yield a ``distributed.Client``.

    ``scheduler``: ``None`` (start an embedded local cluster of ``workers`` processes,
    default ``min(cores, n_tasks)``), a scheduler address (``"tcp://host:8786"``), a Dask
    cluster object, or a ``Client``. ``connect_timeout``: seconds to wait for a scheduler
    address to answer.
    """
    import dask
    from distributed import Client, LocalCluster

    if isinstance(scheduler, Client):
        yield scheduler
        return
    if scheduler is not None and workers is not None:
        raise BayesfitError("workers = N sizes the embedded local cluster only; with a "
                            "scheduler address, size the cluster where it is started.")
    if scheduler is not None and not isinstance(scheduler, str):  # a cluster object
        with Client(scheduler) as client:
            yield client
        return
    check_connect_timeout(connect_timeout)
    if isinstance(scheduler, str):
        try:
            client = Client(scheduler, timeout=f"{connect_timeout}s")
        except (OSError, TimeoutError, ValueError) as err:
            raise BayesfitError(
                f"--scheduler {scheduler}: no Dask scheduler answered within "
                f"{connect_timeout:g} s ({err}). Start one (`dask scheduler`, or a "
                "dask-jobqueue cluster) and give its address (a scheduler still starting: "
                "a longer --connect-timeout), or leave out --scheduler to run on an "
                "embedded local cluster."
            ) from None
        with client:
            yield client
        return
    n = workers or max(1, min(os.cpu_count() or 1, n_tasks))
    if n < 1:
        raise BayesfitError(f"workers = {n}: need at least one worker process.")
    config = {"distributed.worker.multiprocessing-method": "spawn",
              "distributed.scheduler.allowed-failures": 3}
    with dask.config.set(config), LocalCluster(
        n_workers=n, threads_per_worker=1, processes=True,
        dashboard_address=":0" if _has_dashboard() else None,
        silence_logs=logging.ERROR,
    ) as cluster, Client(cluster) as client:
        yield client
