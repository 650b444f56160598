"""The options of the finite-temperature Lanczos solver (:class:`FTLM`)."""

from __future__ import annotations

from dataclasses import dataclass

from ._cluster import ClusterError


@dataclass(frozen=True)
class FTLM:
    """Options of the finite-temperature Lanczos solver.

    ``vectors``: random vectors per sector (stochastic error ~ 1/sqrt(vectors));
    ``steps``: Lanczos steps per vector; ``seed``: fixes the vectors (deterministic fits);
    ``exact_states``: low states per sector treated exactly, found by two fully
    re-orthogonalised Lanczos runs of ``exact_steps`` steps (the second orthogonal to the
    first's states, so that it finds their degenerate partners); ``dense_dim``: sectors
    up to this size are diagonalised densely; ``batch``: vectors processed at once (``None``: chosen
    from ``max_memory_gib``).
    """

    vectors: int = 20
    steps: int = 80
    seed: int = 0
    exact_states: int = 8
    exact_steps: int = 80
    dense_dim: int = 400
    batch: int | None = None

    def __post_init__(self):
        for name in ("vectors", "steps", "exact_states", "exact_steps", "dense_dim"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise ClusterError(f"FTLM option {name} = {v!r} must be a positive integer.")
        if self.vectors < 2:
            raise ClusterError(
                f"FTLM option vectors = {self.vectors} must be >= 2 (the stochastic error is "
                "estimated from the spread over the vectors)."
            )
        if self.exact_states >= self.exact_steps:
            raise ClusterError(
                f"FTLM: exact_states = {self.exact_states} must be smaller than exact_steps "
                f"= {self.exact_steps}."
            )
        if not isinstance(self.seed, int) or isinstance(self.seed, bool):
            raise ClusterError(f"FTLM option seed = {self.seed!r} must be an integer.")
