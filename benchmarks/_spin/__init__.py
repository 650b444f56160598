"""The parts of ``benchmarks/spin_kernel.py`` (run that file): shared settings and timers
(:mod:`.common`), the SciPy/QuSpin baselines (:mod:`.baselines`), the bayesfit side of the
main table (:mod:`.ed_table`), the LAPACK-floor table (:mod:`.floor`) and the FTLM table
(:mod:`.ftlm`)."""
