"""Random min-max games: the spherical bilinear game (min-max vs max-min) and zero-sum
matrix games on simplices (replica-symmetric theory and an exact LP simulator).

Reference: Y. Ichikawa and K. Hukushima, "Statistical mechanics of min-max problems",
arXiv:2409.06053 (TMLR 2025).

Not implemented: the paper's "simple GAN" (generalization error versus the fake/real
ratio and the optimal ratio). Its data model, parametrisation, value function and
saddle-point equations could not be recovered for the specification (spec Sec. 3.3), and
a kernel built on guesses would produce confident but wrong posteriors. It will be added
once the equations are taken from the paper.
"""

from ._lp import GameSolution as GameSolution
from ._lp import sample_games as sample_games
from ._lp import solve_matrix_game as solve_matrix_game
from ._simplex import GameRS as GameRS
from ._simplex import simplex_game_rs as simplex_game_rs
from ._spherical import duality_gap as duality_gap
from ._spherical import spherical_maxmin as spherical_maxmin
from ._spherical import spherical_minmax as spherical_minmax
