"""``Method``: the interface every inference method declares.

As NumPyro's ``MCMCKernel`` or diffrax's ``AbstractSolver``: a method is a small frozen
dataclass of options with a ``name`` and a ``run`` that returns :class:`Draws`. What the
command line needs to know about a method (its options for the result's ``config``,
whether it can checkpoint and resume) it asks through this interface, never by
inspecting the dataclass.
"""

from __future__ import annotations

import abc
import dataclasses
import os
from typing import Any, ClassVar

from ._output import Draws


class Method(abc.ABC):
    """Base class of the inference methods (``MAP``, ``NUTS``, ``Emcee``, ``REMC``).

    Subclasses are frozen dataclasses of options, set ``name`` (the string used in model
    files and on the command line) and implement :meth:`run`. Register a new method with
    :func:`bayesfit.register_method`.
    """

    name: ClassVar[str]

    @abc.abstractmethod
    def run(self, problem, *, chains: int, draws: int, warmup: int, key: Any,
            progress: bool | None) -> Draws:
        """Sample (or optimise) ``problem``: ``chains`` independent chains of ``draws``
        kept draws after ``warmup`` steps, every random choice from the JAX ``key``."""

    @classmethod
    def option_names(cls) -> list[str]:
        """Names of the options (keyword arguments) of the method."""
        return [f.name for f in dataclasses.fields(cls)] if dataclasses.is_dataclass(cls) \
            else []

    def options(self) -> dict[str, Any]:
        """The option values (stored in the result's ``config``)."""
        return dataclasses.asdict(self) if dataclasses.is_dataclass(self) else {}

    def with_checkpoint(self, path: str | os.PathLike, *, resume: bool) -> Method | None:
        """A copy that checkpoints to ``path`` (and resumes from it with ``resume``), or
        ``None`` when the method does not checkpoint (the default)."""
        del path, resume
        return None
