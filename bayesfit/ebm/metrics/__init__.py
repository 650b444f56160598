"""Metrics: KL in both directions, energy-fit error, mode coverage, stability; exact by
enumeration for small n and estimated from samples for large n."""

from ._energy import EnergyFit as EnergyFit
from ._energy import energy_fit_exact as energy_fit_exact
from ._energy import energy_fit_samples as energy_fit_samples
from ._evaluate import ExactReference as ExactReference
from ._evaluate import evaluate_exact as evaluate_exact
from ._evaluate import evaluate_sampled as evaluate_sampled
from ._evaluate import exact_reference as exact_reference
from ._kl import KL as KL
from ._kl import kl_estimate as kl_estimate
from ._kl import kl_exact as kl_exact
from ._modes import Basins as Basins
from ._modes import Coverage as Coverage
from ._modes import basins as basins
from ._modes import coverage_exact as coverage_exact
from ._modes import coverage_samples as coverage_samples
from ._modes import descend as descend
from ._stability import max_relapse as max_relapse
from ._stability import stability as stability
