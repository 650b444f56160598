"""User-input errors of :mod:`bayesfit.ebm`.

All subclass :class:`bayesfit.errors.BayesfitError`, so the CLI prints the message and
exits with status 2. Each message says what was received and what to do instead.
"""

from __future__ import annotations

from ..errors import BayesfitError


class EnumerationTooLarge(BayesfitError):
    """Exact enumeration of 2**n states would need more memory than allowed."""


class ShapeError(BayesfitError):
    """An array has the wrong shape or holds values outside the {-1, +1} alphabet."""


class UnknownObjective(BayesfitError):
    """An objective name that :func:`bayesfit.ebm.objectives.make` does not know."""


class OptionError(BayesfitError):
    """An option object was given a value outside its allowed range."""
