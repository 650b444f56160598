"""The gallery of published cluster fits (models/gallery/, data/gallery/): bayesfit recovers
the published values, which generated the (synthetic) data, within the 95 % interval.

Cheap settings: the MAP search with its Laplace approximation (the posterior of these
well-determined small clusters is close to Gaussian in the unconstrained space); the
generating values are read from the data files' headers (written by ``bayesfit simulate``).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import bayesfit as bf
from bayesfit.io import load_model

ROOT = Path(__file__).resolve().parents[2]
GALLERY = sorted((ROOT / "models" / "gallery").glob("*.toml"))


def _generating(path: Path) -> dict[str, float]:
    line = re.search(r"# parameters: (.*)", path.read_text())[1]
    return {k: float(v) for k, v in re.findall(r"(\w+) = ([-+0-9.eE]+)", line)}


def test_the_gallery_has_three_published_clusters():
    assert [p.stem for p in GALLERY] == ["cu_acetate", "cu_nitrate_chain", "ni2_en"]


@pytest.mark.parametrize("model", GALLERY, ids=[p.stem for p in GALLERY])
def test_published_values_recovered(model):
    spec = load_model(model)
    truth = _generating(spec.datasets[0].file)
    assert "doi" in model.read_text().lower() or "Phys. Rev." in model.read_text() \
        or "Inorg. Chem." in model.read_text()  # every entry cites its source
    result = bf.fit(spec.problem(), bf.MAP(restarts=6), draws=2000, seed=2, progress=False,
                    predictive=False)
    table = result.summary(kind="stats")
    for name, value in truth.items():
        print(f"GALLERY {model.stem} {name}: published {value:g}, posterior "
              f"{table.loc[name, 'mean']:.4g} +- {table.loc[name, 'sd']:.2g} "
              f"[{table.loc[name, 'eti95_lb']:.4g}, {table.loc[name, 'eti95_ub']:.4g}]")
        lo, hi = table.loc[name, "eti95_lb"], table.loc[name, "eti95_ub"]
        assert lo <= value <= hi, (name, value, lo, hi)
        assert hi - lo < 0.5 * max(abs(value), 0.1), (name, lo, hi)  # and determined
    assert np.isfinite(result.tree["optima"]["laplace_log_evidence"].values[0])
