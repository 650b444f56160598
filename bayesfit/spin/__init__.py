"""Spin-cluster exact diagonalisation: Heisenberg clusters with mixed spins.

Build a :class:`Cluster` once (validation, basis, sector matrices), then evaluate its
observables as pure JAX functions of a parameter dict: ``susceptibility``,
``magnetization``, ``heat_capacity``, ``entropy``, ``spectrum``, ``gap``,
``saturation_field`` and ``bond_correlations``. Spin-1/2 Heisenberg clusters beyond
exact diagonalisation: :class:`FtlmCluster` (finite-temperature Lanczos, options
:class:`FTLM`). Model files use the registered kernel
``spin_cluster`` (:mod:`bayesfit.spin.kernel`). Design notes: ``README.md`` here.
"""

from ._checks import ParameterError as ParameterError
from ._cluster import ClusterError as ClusterError
from ._ftlm import FtlmCluster as FtlmCluster
from ._ftlm_options import FTLM as FTLM
from ._model import Cluster as Cluster
from ._symmetry import cluster_symmetries as cluster_symmetries
from ._symmetry import coupling_renamings as coupling_renamings
from ._symmetry import exchangeable_couplings as exchangeable_couplings
from ._thermo import Spectrum as Spectrum
from ._units import CONVENTIONS as CONVENTIONS
from ._units import ENERGY_TO_K as ENERGY_TO_K
