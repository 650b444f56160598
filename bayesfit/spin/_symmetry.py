"""Exact symmetries of a cluster that exchange coupling parameters.

A permutation ``pi`` of the sites is a symmetry of the *model* when it keeps every site's
spin, g group and anisotropy group, and maps the bonds onto bonds so that whole bond
classes go to whole bond classes (a permutation ``sigma`` of the coupling names). Then
``H(J)`` and ``H(sigma J)`` are unitarily equivalent (the unitary permutes the site
factors; the Zeeman and anisotropy terms are invariant, for any field direction since
every D shares the z axis), so every observable is the same: the likelihood cannot tell
``J_a`` from ``J_sigma(a)``, and the posterior has mirror modes unless the prior breaks
the tie. Symmetries with ``sigma = identity`` (ring rotations) exchange nothing and are
not reported.

The search is a backtracking over site images with the usual pruning (colour = spin, g
group, anisotropy group; bonds to already-placed sites must map to bonds, classes
consistently), fast for the clusters exact diagonalisation can hold.
Reference: any text on graph automorphisms, e.g. McKay & Piperno, J. Symb. Comput. 60,
94 (2014) (whose refinement this simple search does without).
"""

from __future__ import annotations

from typing import NamedTuple

from ._cluster import ClusterSpec


class Symmetry(NamedTuple):
    """One symmetry: the site permutation (``sites[i]`` = image of site ``i``) and the
    renaming of couplings it induces (only names that change)."""

    sites: tuple[int, ...]
    couplings: dict[str, str]


def _colours(spec: ClusterSpec) -> list[tuple]:
    g = {s: k for k, sites in enumerate(spec.g_sites) for s in sites}
    d = {s: k for k, sites in enumerate(spec.d_sites) for s in sites}
    return [(spec.two_s[i], g.get(i), d.get(i, -1)) for i in range(spec.n_sites)]


def cluster_symmetries(spec: ClusterSpec, *, limit: int = 10_000) -> list[Symmetry]:
    """Every site permutation preserving spins, g groups, anisotropy groups and bond
    classes up to a renaming of classes, with a non-trivial renaming (at most ``limit``
    permutations are examined in full)."""
    n = spec.n_sites
    colour = _colours(spec)
    cls = {}
    for c, pairs in enumerate(spec.bonds):
        for i, j in pairs:
            cls[(i, j)] = cls[(j, i)] = c
    nbrs = [sorted({j for (i, j) in cls if i == a}) for a in range(n)]
    # the degree profile per class is invariant up to the renaming: use the sorted profile
    profile = [sorted(sorted(cls[(a, b)] for b in nbrs[a]).count(c)
                      for c in range(len(spec.bonds))) for a in range(n)]
    order = sorted(range(n), key=lambda a: -len(nbrs[a]))  # place connected sites early
    found: list[Symmetry] = []
    seen_maps: set[tuple] = set()
    image = [-1] * n
    used = [False] * n
    examined = 0

    def consistent(a: int, b: int, sigma: dict) -> dict | None:
        new = dict(sigma)
        for a2 in range(n):
            b2 = image[a2]
            if b2 < 0:
                continue
            ca, cb = cls.get((a, a2)), cls.get((b, b2))
            if (ca is None) != (cb is None):
                return None
            if ca is not None:
                if new.get(ca, cb) != cb or (cb in new.values() and new.get(ca) != cb):
                    return None
                new[ca] = cb
        return new

    def search(k: int, sigma: dict) -> None:
        nonlocal examined
        if examined >= limit:
            return
        if k == n:
            examined += 1
            full = tuple(sigma.get(c, c) for c in range(len(spec.bonds)))
            if full != tuple(range(len(spec.bonds))) and full not in seen_maps:
                seen_maps.add(full)
                names = spec.coupling_names
                found.append(Symmetry(tuple(image), {names[c]: names[full[c]]
                                                     for c in range(len(names))
                                                     if full[c] != c}))
            return
        a = order[k]
        for b in range(n):
            if used[b] or colour[b] != colour[a] or profile[b] != profile[a]:
                continue
            new = consistent(a, b, sigma)
            if new is None:
                continue
            image[a], used[b] = b, True
            search(k + 1, new)
            image[a], used[b] = -1, False

    search(0, {})
    return found


def coupling_renamings(spec: ClusterSpec) -> list[dict[str, str]]:
    """The renamings of couplings of :func:`cluster_symmetries` (what
    ``bayesfit.Problem(symmetries=...)`` takes)."""
    return [sym.couplings for sym in cluster_symmetries(spec)]


def exchangeable_couplings(spec: ClusterSpec) -> list[list[str]]:
    """Groups of coupling names exchanged by some exact symmetry (orbits, size > 1)."""
    groups: list[set[str]] = []
    for sym in cluster_symmetries(spec):
        for a, b in sym.couplings.items():
            hit = [g for g in groups if a in g or b in g]
            merged = set().union({a, b}, *hit)
            groups = [g for g in groups if g not in hit] + [merged]
    ordered = {name: i for i, name in enumerate(spec.coupling_names)}
    return sorted((sorted(g, key=ordered.get) for g in groups), key=lambda g: ordered[g[0]])
