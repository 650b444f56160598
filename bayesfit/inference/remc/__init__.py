"""Replica-exchange Monte Carlo, the log evidence and free-energy noise estimation.

``REMC`` is the options object (``bayesfit.fit(problem, method=REMC(...))``); the other
exports are the pure pieces it is built from, for use in other samplers and tests.
"""

from ._evidence import stepping_stone as stepping_stone
from ._evidence import thermodynamic_integration as thermodynamic_integration
from ._free_energy import with_noise_fixed as with_noise_fixed
from ._method import REMC as REMC
from ._noise import free_energy as free_energy
from ._options import Mass as Mass
from ._options import Move as Move
from ._options import Noise as Noise
from ._options import Reference as Reference
from ._options import Start as Start
