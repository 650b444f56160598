"""PCD training step: bayesfit.ebm versus scikit-learn's BernoulliRBM, same data.

    .venv/bin/python benchmarks/ebm_pcd.py [--quick]

Both run persistent contrastive divergence with one Gibbs sweep per update (PCD-1),
``batch`` persistent chains, plain SGD at the same learning rate, over the same
minibatches in the same order, for the same number of epochs. Data: exact samples of a
4-component Bernoulli mixture on {-1, +1}^n. **scikit-learn's RBM has 0/1 visible units,
so it gets the same data mapped by v = (s + 1) / 2**; bayesfit trains its +-1 RBM on s.
The two parametrisations are equivalent (a = b_v/2, W = W01/2, b = b_h + sum_i W01_ij/2),
so after training we map sklearn's parameters into a +-1 RBM and compare the exact
KL(p || q) by enumeration where n <= 16. The gradients differ by that linear map, so
the trajectories are not identical, only comparable.

Timing: wall time of the training loop; bayesfit's first call (XLA compilation) is
reported separately and excluded from the ratio. Ratio = sklearn time / bayesfit time
(> 1: bayesfit faster). float64 in both.
"""

from __future__ import annotations

import argparse
import os
import time
import warnings

import jax
import jax.numpy as jnp
import numpy as np
import optax
from sklearn.neural_network import BernoulliRBM

import bayesfit  # noqa: F401  (float64)
from bayesfit import ebm
from bayesfit.ebm import metrics as M


def bayesfit_trainer(rbm, target, chains, lr):
    spec = ebm.TrainSpec(rbm=rbm, objectives=(ebm.ForwardKL(),),
                         sampler=ebm.PCD(chains=chains, k=1, init="uniform"),
                         optimizer=optax.sgd(lr), init_scale=0.01)

    @jax.jit
    def train(key, batches):
        w = jnp.full(batches.shape[1], 1.0 / batches.shape[1])
        state = ebm.train_init(spec, key, ebm.Samples(batches[0], w))
        epochs_batches = batches

        def body(st, xb):
            lp = jnp.zeros(xb.shape[0])  # forward KL never uses the target energy
            st, _ = ebm.train_step(spec, st, target, ebm.Samples(xb, w), lp)
            return st, None

        state, _ = jax.lax.scan(body, state, epochs_batches)
        return state.params

    return train


def from_sklearn(skl: BernoulliRBM) -> ebm.RBMParams:
    W01 = skl.components_  # (m, n)
    return ebm.RBMParams(a=jnp.asarray(skl.intercept_visible_ / 2),
                         b=jnp.asarray(skl.intercept_hidden_ + W01.sum(axis=1) / 2),
                         W=jnp.asarray(W01 / 2))


def run(n, m, N, batch, epochs, lr, seed=0):
    target = ebm.BernoulliMixture.random(n, K=4, seed=seed, flip=0.1)
    x = np.asarray(target.sample(jax.random.key(seed), N))
    nb = N // batch
    order = np.concatenate([np.random.default_rng(seed + e).permutation(N)[: nb * batch]
                            for e in range(epochs)])
    batches = x[order].reshape(epochs * nb, batch, n)

    rbm = ebm.RBM(n, m)
    train = bayesfit_trainer(rbm, target, batch, lr)
    t0 = time.perf_counter()
    jax.block_until_ready(train(jax.random.key(1), jnp.asarray(batches)))
    t_first = time.perf_counter() - t0
    t0 = time.perf_counter()
    params = jax.block_until_ready(train(jax.random.key(2), jnp.asarray(batches)))
    t_bf = time.perf_counter() - t0

    # sklearn: feed the very same minibatches through partial_fit-equivalent _fit
    skl = BernoulliRBM(n_components=m, learning_rate=lr, batch_size=batch, n_iter=1,
                       random_state=seed)
    v = (batches + 1.0) / 2.0
    skl.partial_fit(v[0])  # initialise components_, h_samples_ (one update)
    rng = np.random.RandomState(seed)
    t0 = time.perf_counter()
    for vb in v[1:]:
        skl._fit(vb, rng)
    t_sk = time.perf_counter() - t0
    t_sk *= len(v) / max(len(v) - 1, 1)  # same number of updates as bayesfit

    kl_bf = kl_sk = float("nan")
    if n <= 16:
        enum = target.enumerate()
        kl_bf = float(M.kl_exact(enum.log_p, rbm.enumerate(params)).pq)
        kl_sk = float(M.kl_exact(enum.log_p, rbm.enumerate(from_sklearn(skl))).pq)
    return dict(n=n, m=m, N=N, batch=batch, updates=len(v), t_sk=t_sk, t_bf=t_bf,
                t_compile=t_first - t_bf, kl_sk=kl_sk, kl_bf=kl_bf)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true")
    a = p.parse_args(argv)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    configs = [(16, 16), (64, 64), (256, 128)]
    N, batch, epochs, lr = (1024, 32, 2, 0.05) if a.quick else (4096, 64, 10, 0.05)
    rows = [run(n, m, N, batch, epochs, lr) for n, m in configs]
    print(f"PCD-1 training, {epochs} epochs of N = {N} samples in minibatches of {batch} "
          f"({batch} persistent chains), SGD lr = {lr}; {os.cpu_count()} CPU cores.")
    print("sklearn BernoulliRBM gets the +-1 data mapped to 0/1 by v = (s + 1) / 2.\n")
    print("| n | m | updates | sklearn [s] | bayesfit [s] | ratio sklearn/bayesfit | "
          "bayesfit compile [s] | KL(p‖q) sklearn | KL(p‖q) bayesfit |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['n']} | {r['m']} | {r['updates']} | {r['t_sk']:.3f} | {r['t_bf']:.3f} | "
              f"{r['t_sk'] / r['t_bf']:.2f} | {r['t_compile']:.2f} | {r['kl_sk']:.3g} | "
              f"{r['kl_bf']:.3g} |")


if __name__ == "__main__":
    main()
