"""Results as ArviZ DataTrees: building, saving, loading, plotting."""

from ._atomic import write_atomic as write_atomic
from ._atomic import write_text_atomic as write_text_atomic
from ._result import Result as Result
from ._result import load as load
