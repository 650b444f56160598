"""The default prior on an unknown Gaussian noise level.

A scale-invariant (Jeffreys, p(sigma) ~ 1/sigma) prior, made proper by truncating it to
``[1e-5, 10] x`` the spread of the data: every decade of sigma in that range gets the same
prior mass, so the prior does not pick a scale, while the evidence stays defined (the
truncation adds the same constant, -log(ln 1e6), to every model fitted to the same data).
"""

from __future__ import annotations

import numpy as np
import numpyro.distributions as dist

LOW_FACTOR = 1e-5
HIGH_FACTOR = 10.0


def data_scale(y) -> float:
    """A positive scale of the observations (standard deviation, else max |y|, else 1)."""
    y = np.asarray(y, dtype=float)
    s = float(np.std(y))
    if s > 0:
        return s
    m = float(np.max(np.abs(y))) if y.size else 0.0
    return m if m > 0 else 1.0


def default_noise_prior(y) -> dist.Distribution:
    """Log-uniform prior on the noise level of a dataset with observations ``y``."""
    s = data_scale(y)
    return dist.LogUniform(LOW_FACTOR * s, HIGH_FACTOR * s)
