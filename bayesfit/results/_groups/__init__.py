"""Typed schemas of the method groups of a result tree (see ``README.md``)."""

from ._base import Group as Group
from ._base import as_dataset as as_dataset
from ._base import group_schemas as group_schemas
from ._base import read_group as read_group
from ._base import register_group as register_group
from ._emcee import EnsembleDiagnostics as EnsembleDiagnostics
from ._evidence import Evidence as Evidence
from ._ladder import Ladder as Ladder
from ._map import MapEstimate as MapEstimate
from ._noise import NoiseLevels as NoiseLevels
from ._noise import NoiseRay as NoiseRay
from ._predictions import PredictedQuantity as PredictedQuantity
from ._predictions import Predictions as Predictions
