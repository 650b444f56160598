"""RBM objective study (thin wrapper): ``python benchmarks/ebm_study.py [--quick]``.

Same as ``python -m bayesfit.ebm.study``; see that module for options. The full run's
printed tables are kept in ``benchmarks/results/ebm_study.md``:

    .venv/bin/python benchmarks/ebm_study.py --table benchmarks/results/ebm_study.md
"""

import sys

from bayesfit.ebm.study import main

if __name__ == "__main__":
    sys.exit(main())
