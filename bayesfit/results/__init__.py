"""Results as ArviZ DataTrees: building, saving, loading, plotting."""

from .._atomic import write_atomic as write_atomic
from .._atomic import write_text_atomic as write_text_atomic
from ._compare import compare as compare
from ._optima import mode_summary as mode_summary
from ._optima import optima_table as optima_table
from ._plots import plot_dataset as plot_dataset
from ._plots import plot_pair as plot_pair
from ._plots import plot_prediction as plot_prediction
from ._plots import plot_trace as plot_trace
from ._predict import predict as predict
from ._remc_plots import plot_free_energy as plot_free_energy
from ._remc_plots import plot_ladder as plot_ladder
from ._result import Result as Result
from ._result import load as load
