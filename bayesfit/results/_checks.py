"""Convergence diagnostics of a finished fit, computed from its DataTree.

:func:`check_diagnostics` reads only the tree (so it works on a loaded ``fit.nc`` too) and
returns one :class:`Failure` per failed check:

- ``rhat``: rank-normalised split R-hat above 1.01 (Vehtari et al. 2021, Bayesian Anal.
  16, 667) for any parameter, when there are two or more chains;
- ``ess_bulk``: bulk effective sample size below 100 per chain (the same reference);
- ``divergences``: divergent transitions (``sample_stats.diverging``);
- ``round_trips``: a REMC run without a round trip of a replica between ``b = 0`` and
  ``b = 1`` (``ladder.round_trips``): its ladder did not mix;
- ``evidence``: thermodynamic integration and stepping stone disagree by more than three
  combined standard errors (``evidence`` group);
- anything a method recorded itself (see below).

Format of the record in the tree's attrs (kept by netCDF): ``diagnostics_failed`` is a
JSON list of ``"check: message"`` strings and ``diagnostics_ok`` is ``1`` or ``0``.
A method that detects a failure while it runs may add its own entries with
:func:`add_failure` on its attrs dict before the tree is built; :func:`record` keeps them.
Posterior draws of method ``map`` are independent Laplace draws: R-hat and ESS are not
checked there.
"""

from __future__ import annotations

import json
import math
from collections.abc import MutableMapping
from typing import NamedTuple

import numpy as np

RHAT_MAX = 1.01
ESS_BULK_PER_CHAIN = 100
EVIDENCE_SIGMAS = 3.0
ATTR = "diagnostics_failed"


class Failure(NamedTuple):
    """One failed check: its short name and a message that says what to do."""

    check: str
    message: str

    def __str__(self) -> str:
        return f"{self.check}: {self.message}"


def add_failure(attrs: MutableMapping, check: str, message: str) -> None:
    """Append a failure to ``attrs[ATTR]`` (the JSON list described in the module doc)."""
    items = json.loads(attrs.get(ATTR, "[]") or "[]")
    entry = str(Failure(check, message))
    if entry not in items:
        items.append(entry)
    attrs[ATTR] = json.dumps(items)
    attrs["diagnostics_ok"] = 0


def recorded_failures(attrs) -> list[str]:
    """The ``"check: message"`` entries recorded in ``attrs`` (empty when none)."""
    raw = attrs.get(ATTR, "[]")
    if isinstance(raw, str):
        try:
            return list(json.loads(raw or "[]"))
        except json.JSONDecodeError:  # a plain "; "-joined text
            return [x for x in raw.split("; ") if x]
    return [str(x) for x in np.atleast_1d(raw)]


def _group(tree, name: str):
    return tree[name].to_dataset() if name in tree.children else None


def _mcmc_checks(tree) -> list[Failure]:
    import arviz as az

    post = _group(tree, "posterior")
    if post is None or not post.data_vars:
        return []
    chains, draws = int(post.sizes.get("chain", 1)), int(post.sizes.get("draw", 1))
    out = []
    if chains >= 2 and draws >= 4:
        rhat = az.rhat(post)
        worst = {k: float(np.nanmax(np.asarray(rhat[k]))) for k in rhat.data_vars}
        bad = {k: v for k, v in worst.items() if not v <= RHAT_MAX}
        if bad:
            listed = ", ".join(f"{k} {v:.3g}" for k, v in sorted(bad.items()))
            out.append(Failure("rhat", f"R-hat above {RHAT_MAX} for {listed}: the chains do not "
                               "agree; run longer (--draws, --warmup) or check for several "
                               "modes."))
    if draws >= 4:
        need = ESS_BULK_PER_CHAIN * chains
        ess = az.ess(post, method="bulk")
        low = {k: float(np.nanmin(np.asarray(ess[k]))) for k in ess.data_vars}
        bad = {k: v for k, v in low.items() if not v >= need}
        if bad:
            listed = ", ".join(f"{k} {v:.0f}" for k, v in sorted(bad.items()))
            out.append(Failure("ess_bulk", f"bulk ESS below {need} ({ESS_BULK_PER_CHAIN} per "
                               f"chain x {chains}) for {listed}; run more draws."))
    return out


def _divergences(tree) -> list[Failure]:
    stats = _group(tree, "sample_stats")
    if stats is None or "diverging" not in stats:
        return []
    n = int(np.sum(np.asarray(stats["diverging"])))
    if n == 0:
        return []
    total = int(np.asarray(stats["diverging"]).size)
    return [Failure("divergences", f"{n} of {total} transitions diverged: the sampler could "
                    "not follow the posterior's curvature; raise target_accept (e.g. 0.95) "
                    "or reparametrise.")]


def _round_trips(tree) -> list[Failure]:
    ladder = _group(tree, "ladder")
    if ladder is None or "round_trips" not in ladder:
        return []
    trips = np.atleast_1d(np.asarray(ladder["round_trips"]))
    stuck = np.flatnonzero(trips == 0)
    if stuck.size == 0:
        return []
    return [Failure("round_trips", f"REMC run(s) {stuck.tolist()} made no round trip between "
                    "b = 0 and b = 1: the ladder did not mix and the evidence is unreliable; "
                    "use more replicas, warm-up or draws.")]


def _evidence(tree) -> list[Failure]:
    ev = _group(tree, "evidence")
    names = ("log_evidence_ti", "log_evidence_ti_err", "log_evidence_ss", "log_evidence_ss_err")
    if ev is None or not all(n in ev for n in names):
        return []
    ti, ti_err, ss, ss_err = (float(ev[n]) for n in names)
    comb = math.hypot(ti_err, ss_err)
    if math.isfinite(ti - ss) and abs(ti - ss) <= EVIDENCE_SIGMAS * comb:
        return []
    return [Failure("evidence", f"thermodynamic integration ({ti:.3f} +- {ti_err:.3f}) and "
                    f"stepping stone ({ss:.3f} +- {ss_err:.3f}) disagree by more than "
                    f"{EVIDENCE_SIGMAS:g} standard errors; use more replicas or draws.")]


def check_diagnostics(tree) -> list[Failure]:
    """Every failed check of the fit in ``tree`` (an ``xarray.DataTree``); empty if none."""
    out = []
    if tree.attrs.get("method") != "map":
        out += _mcmc_checks(tree)
    out += _divergences(tree) + _round_trips(tree) + _evidence(tree)
    return out


def record(tree) -> list[str]:
    """Run :func:`check_diagnostics`, merge with what a method recorded, store the list in
    ``tree.attrs`` (module doc) and return it."""
    items = recorded_failures(tree.attrs)
    for f in check_diagnostics(tree):
        if str(f) not in items:
            items.append(str(f))
    tree.attrs[ATTR] = json.dumps(items)
    tree.attrs["diagnostics_ok"] = int(not items)
    return items


def format_block(items: list[str]) -> str:
    """The summary block printed at the end of a fit."""
    if not items:
        return ("Diagnostics: all passed (R-hat <= 1.01, bulk ESS >= 100 per chain, no "
                "divergences; REMC round trips and evidence estimators where computed).")
    lines = [f"Diagnostics FAILED ({len(items)}): do not trust these results yet."]
    lines += [f"  - {x}" for x in items]
    return "\n".join(lines)
