"""Exceptions that carry a user-facing message.

Every error raised because of *user input* (a model file, a data file, a parameter value)
is a :class:`BayesfitError`. The CLI catches exactly this class, prints the message and
exits with status 2; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations


class BayesfitError(ValueError):
    """Bad user input. The message names the file/line/parameter and says what to do."""


class ModelFileError(BayesfitError):
    """A model file (TOML) is malformed or inconsistent."""


class DataFileError(BayesfitError):
    """A data file is missing, malformed or holds non-finite values."""


class UnitError(BayesfitError):
    """A unit name that bayesfit does not know, or units that do not match."""
