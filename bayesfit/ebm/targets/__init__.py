"""Target distributions ``p(x) ~ exp(-E(x))`` on {-1, +1}^n with a tractable energy."""

from ._base import Target as Target
from ._curie_weiss import CurieWeiss as CurieWeiss
from ._custom import CustomTarget as CustomTarget
from ._enumerate import Enumeration as Enumeration
from ._enumerate import enumerate_target as enumerate_target
from ._ising2d import Ising2D as Ising2D
from ._mixture import BernoulliMixture as BernoulliMixture
from ._sk import SK as SK
