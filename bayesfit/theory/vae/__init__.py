"""Linear beta-VAE theory: online-SGD order-parameter ODE, fixed points, replica solution.

Papers: Ichikawa & Hukushima, arXiv:2310.15440 (AISTATS 2024; online dynamics) and
arXiv:2309.07663 (finite-dataset replica asymptotics).
"""

from ._convergence import convergence_time as convergence_time
from ._coords import Direct as Direct
from ._coords import LogCholesky as LogCholesky
from ._data import Weights as Weights
from ._data import gaussian_weights as gaussian_weights
from ._data import sample_spiked as sample_spiked
from ._data import teacher as teacher
from ._drift import drift as drift
from ._fixed_points import beta_pc as beta_pc
from ._fixed_points import eps_g_star as eps_g_star
from ._fixed_points import fixed_point as fixed_point
from ._fixed_points import noise_latent_q as noise_latent_q
from ._fixed_points import optimal_beta as optimal_beta
from ._fixed_points import stationary_overlaps as stationary_overlaps
from ._fullbatch import Fit as Fit
from ._fullbatch import objective as objective
from ._fullbatch import per_sample_terms as per_sample_terms
from ._fullbatch import rate_distortion as rate_distortion
from ._fullbatch import train_full_batch as train_full_batch
from ._moments import field_moments as field_moments
from ._moments import kl_term as kl_term
from ._moments import reconstruction_term as reconstruction_term
from ._ode import Trajectory as Trajectory
from ._ode import solve_overlaps as solve_overlaps
from ._overlaps import Overlaps as Overlaps
from ._overlaps import generalization_error as generalization_error
from ._overlaps import initial_overlaps as initial_overlaps
from ._overlaps import overlaps_from_weights as overlaps_from_weights
from ._qroot import q_equation as q_equation
from ._qroot import solve_q as solve_q
from ._replica import COLLAPSE as COLLAPSE
from ._replica import LEARNING as LEARNING
from ._replica import OVERLEARNING as OVERLEARNING
from ._replica import ReplicaSolution as ReplicaSolution
from ._replica import Spectrum as Spectrum
from ._replica import alpha_c as alpha_c
from ._replica import bbp_spectrum as bbp_spectrum
from ._replica import phase as phase
from ._replica import replica_solution as replica_solution
from ._replica import solution_from_spectrum as solution_from_spectrum
from ._schedules import Constant as Constant
from ._schedules import Linear as Linear
from ._schedules import Schedule as Schedule
from ._schedules import Tanh as Tanh
from ._sgd import sgd_step as sgd_step
from ._sgd import simulate_sgd as simulate_sgd
from ._thresholds import best_eps_g as best_eps_g
from ._thresholds import beta_c as beta_c
from ._thresholds import beta_opt as beta_opt
from ._thresholds import inevitable_collapse_beta as inevitable_collapse_beta
from ._thresholds import plateau_edge as plateau_edge
