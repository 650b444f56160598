"""What ``bayesfit fit`` prints; the report itself is :meth:`bayesfit.Result.write_report`."""

from __future__ import annotations

from pathlib import Path


def write_report(result, out: Path, *, plots: bool = True) -> list[tuple[Path, str]]:
    """Print the summary, the evidence and the noise table; write the report files."""
    if plots:
        import matplotlib

        matplotlib.use("Agg")  # the command line draws into files only
    print("\nPosterior summary (95% equal-tailed intervals):")
    print(result.format_summary())
    if result.log_evidence is not None:
        print(f"\nlog evidence = {result.log_evidence:.3f} +- {result.log_evidence_err:.3f} nats")
    noise = result.noise_table()
    if noise is not None:
        print("\nNoise levels at the minimum of the Bayesian free energy F(sigma):")
        print(noise.to_string(float_format=lambda v: f"{v:.4g}"))
    return result.write_report(out, plots=plots)
