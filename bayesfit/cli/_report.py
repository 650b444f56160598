"""What ``bayesfit fit`` and ``bayesfit summary`` print; the tables and the report files
come from :class:`bayesfit.Result` (``noise_table``, ``write_report``)."""

from __future__ import annotations

from pathlib import Path


def print_tables(result, *, ci_prob: float = 0.95) -> None:
    """The posterior summary, the log evidence, the replica-exchange ladder, the distinct
    optima and the noise levels, as text."""
    from ..results._optima import format_optima

    print(f"\nPosterior summary ({ci_prob:.0%} equal-tailed intervals):")
    print(result.format_summary(ci_prob=ci_prob))
    if result.log_evidence is not None:
        print(f"\nlog evidence = {result.log_evidence:.3f} +- {result.log_evidence_err:.3f} nats")
        ev = result.tree["evidence"] if "evidence" in result.tree.children else None
        if ev is not None and float(ev.get("mirror_correction", 0.0)) > 0:
            m = int(ev["mirror_images"])
            print(f"  (includes log {m} = {float(ev['mirror_correction']):.3f} nats: {m} mirror "
                  "modes of equal mass under the model's exact symmetry, one sampled per run)")
    attrs = result.tree.attrs
    if "ladder" in result.tree.children and "barrier" in attrs:
        trips = result.tree["ladder"]["round_trips"].values.tolist()
        print(f"replica exchange: {attrs['replicas']} replicas ({attrs.get('reference', '?')} "
              f"reference), barrier Lambda = {attrs['barrier']:.2f}, round trips per run "
              f"{trips}")
    optima = format_optima(result)
    if optima:
        print("\n" + optima)
    noise = result.noise_table()
    if noise is not None:
        print("\nNoise levels at the minimum of the Bayesian free energy F(sigma):")
        print(noise.to_string(float_format=lambda v: f"{v:.4g}"))


def write_report(result, out: Path, *, plots: bool = True) -> list[tuple[Path, str]]:
    """Print the tables, then write the report files (figures drawn off screen)."""
    if plots:
        import matplotlib

        matplotlib.use("Agg")  # the command line draws into files only
    print_tables(result)
    return result.write_report(out, plots=plots)
