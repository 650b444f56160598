"""End-to-end use cases: a kernel's estimation problem fitted with :func:`bayesfit.fit`.

The top layer beside the CLI: modules here may import kernels and inference alike,
which neither the physics kernels nor the inference core may do.
"""

from . import theory as theory
