"""The probabilistic core: datasets, priors, likelihoods."""

from ._dataset import Dataset as Dataset
from ._noise import default_noise_prior as default_noise_prior
from ._order import ExchangeableWarning as ExchangeableWarning
from ._problem import Problem as Problem
from ._problem import gaussian_loglik as gaussian_loglik
