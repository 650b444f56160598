"""Reading and writing data files and model files."""

from ._covariance import read_covariance as read_covariance
from ._covariance import write_covariance as write_covariance
from ._csv import Table as Table
from ._csv import read_table as read_table
from ._csv import write_table as write_table
from ._model_file import DatasetSpec as DatasetSpec
from ._model_file import InferenceSpec as InferenceSpec
from ._model_file import ModelSpec as ModelSpec
from ._model_file import load_model as load_model
from ._mpms import Sample as Sample
from ._mpms import read_mpms as read_mpms
