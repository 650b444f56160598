"""Critical points from finite-size data: Bayesian scaling analysis and its generators.

- :func:`fit_fss`: Bayesian finite-size scaling with a Gaussian-process data collapse
  (Harada, PRE 84, 056704 (2011)); :func:`fit_peak` for a single size.
- :func:`simulate_ising`: the 2-D Ising model on tori (Swendsen-Wang, JAX).
- :func:`temperature_sweep`: ensembles of symbol sequences from any
  ``logits_fn(context) -> logits`` over a temperature grid, with chi(T), xi(T) and the
  relaxation toward the stationary distribution.
"""

from ._check import ScalingCheck as ScalingCheck
from ._check import check_scaling as check_scaling
from ._correlation import SequenceStats as SequenceStats
from ._correlation import correlation_curve as correlation_curve
from ._correlation import relaxation_curve as relaxation_curve
from ._correlation import sequence_statistics as sequence_statistics
from ._decay import DecayComparison as DecayComparison
from ._decay import compare_decay as compare_decay
from ._decay import evidence_decay as evidence_decay
from ._fss import Correction as Correction
from ._fss import FSSModel as FSSModel
from ._fss import FSSResult as FSSResult
from ._fss import ScalingPriors as ScalingPriors
from ._fss import fit_fss as fit_fss
from ._fss import fit_fss_joint as fit_fss_joint
from ._ising import T_CRITICAL as T_CRITICAL
from ._ising import IsingSeries as IsingSeries
from ._ising import simulate_ising as simulate_ising
from ._markov import markov_logits as markov_logits
from ._markov import markov_logits_fn as markov_logits_fn
from ._observables import IsingObservables as IsingObservables
from ._observables import ising_observables as ising_observables
from ._peak import PeakResult as PeakResult
from ._peak import fit_peak as fit_peak
from ._plots import plot_collapse as plot_collapse
from ._plots import plot_raw as plot_raw
from ._posterior import SamplerOptions as SamplerOptions
from ._sweep import SweepResult as SweepResult
from ._sweep import sample_sequences as sample_sequences
from ._sweep import sweep_from_symbols as sweep_from_symbols
from ._sweep import temperature_sweep as temperature_sweep
from ._synthetic import scaling_function as scaling_function
from ._synthetic import synthetic_fss as synthetic_fss
from ._table import FSSTable as FSSTable
from ._table import fss_table as fss_table
from ._table import read_fss_csv as read_fss_csv
from ._upos import UPOS as UPOS
from ._upos import UposModel as UposModel
from ._upos import read_upos as read_upos
from ._upos import train_upos_model as train_upos_model
