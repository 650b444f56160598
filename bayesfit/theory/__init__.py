"""Learning-theory kernels: the linear VAE (online dynamics and replica asymptotics) and
random min-max games.

Subpackages: :mod:`bayesfit.theory.vae`, :mod:`bayesfit.theory.games`. Registered kernels
(``linear_vae_ode``, ``linear_vae_replica``, ``matrix_game``) live in
:mod:`bayesfit.theory.kernels`; estimation problems in
:mod:`bayesfit.theory.problems` (fitted by :mod:`bayesfit.studies.theory`).
"""

from . import games as games
from . import vae as vae
