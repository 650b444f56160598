"""Registered learning-theory kernels (names used in model files).

``linear_vae_ode``: learning curves of online SGD (bayesfit.theory.vae ODE);
``linear_vae_replica``: final errors and rate-distortion versus dataset size;
``matrix_game``: value and support fractions of random min-max games.
Each factory is ``build(settings, *, where) -> Kernel`` (bayesfit/kernels/README.md).
"""

from ._kernel_game import MatrixGameKernel as MatrixGameKernel
from ._kernel_game import build_matrix_game as build_matrix_game
from ._kernel_ode import LinearVAEODEKernel as LinearVAEODEKernel
from ._kernel_ode import build_linear_vae_ode as build_linear_vae_ode
from ._kernel_replica import LinearVAEReplicaKernel as LinearVAEReplicaKernel
from ._kernel_replica import build_linear_vae_replica as build_linear_vae_replica
