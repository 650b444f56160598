"""Samplers: block Gibbs / PCD for the RBM; exact, Metropolis and parallel tempering for
targets. Options are objects; kernels are pure ``init``/``step`` functions on NamedTuple
state, so they compose under ``jit``, ``vmap`` and ``lax.scan``."""

from ._ancestral import Ancestral as Ancestral
from ._exact import Exact as Exact
from ._gibbs import PCD as PCD
from ._gibbs import PCDState as PCDState
from ._gibbs import gibbs as gibbs
from ._gibbs import gibbs_sweep as gibbs_sweep
from ._metropolis import Metropolis as Metropolis
from ._metropolis import MetropolisState as MetropolisState
from ._metropolis import metropolis_init as metropolis_init
from ._metropolis import metropolis_sweep as metropolis_sweep
from ._tempering import ParallelTempering as ParallelTempering
from ._tempering import PTState as PTState
from ._tempering import pt_init as pt_init
from ._tempering import pt_step as pt_step
