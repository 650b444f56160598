"""Correlations in symbol sequences and trees: readers, estimators with a Bayesian bootstrap
over whole sequences, decay models and their comparison. All MI values are in nats.

See ``bayesfit/sequences/README.md`` for the design.
"""

from ._compare import DecayComparison as DecayComparison
from ._compare import compare_decay as compare_decay
from ._compare import decay_problem as decay_problem
from ._conllu import read_conllu as read_conllu
from ._correlation import DistanceMap as DistanceMap
from ._correlation import connected_correlation as connected_correlation
from ._correlation import ensemble_correlation as ensemble_correlation
from ._correlation import sequential_vs_structural as sequential_vs_structural
from ._curve import Curve as Curve
from ._curve import bootstrap_curve as bootstrap_curve
from ._curve import mutual_information as mutual_information
from ._curve import pair_counts as pair_counts
from ._curve import pair_iid_replicates as pair_iid_replicates
from ._decay import DECAY_MODELS as DECAY_MODELS
from ._decay import decay_model as decay_model
from ._decay import default_priors as default_priors
from ._entropy import entropy as entropy
from ._entropy import mutual_information_from_counts as mutual_information_from_counts
from ._generators import binary_markov as binary_markov
from ._generators import fgn_threshold as fgn_threshold
from ._generators import lin_tegmark_tree as lin_tegmark_tree
from ._generators import markov_chain as markov_chain
from ._generators import markov_mi as markov_mi
from ._statistics import Correlation as Correlation
from ._statistics import MutualInformation as MutualInformation
from ._symbols import Corpus as Corpus
from ._symbols import Tree as Tree
from ._symbols import encode as encode
