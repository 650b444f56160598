"""Many fits at once: sweeps of model files x variants x seeds on Dask distributed.

``bayesfit.sweep("models/kcu4p3o12_geometries.toml")`` or ``bayesfit sweep FILE.toml``;
the design and the cluster recipes are in ``bayesfit/sweeps/README.md``.
"""

from ._cluster import dask_client as dask_client
from ._run import SweepResult as SweepResult
from ._run import sweep as sweep
from ._spec import SweepSpec as SweepSpec
from ._spec import Task as Task
from ._spec import Variant as Variant
from ._spec import load_sweep as load_sweep
