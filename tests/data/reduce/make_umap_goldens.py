#!/usr/bin/python3
"""Golden UMAP pieces for tests/core/reduce/tst_umap.cpp, made with umap-learn (Debian's 0.5.3).

Run with Debian's Python (umap-learn, numpy, scipy): /usr/bin/python3 make_umap_goldens.py
Writes, next to this script:
  umap_X.npy           300 x 8 float32 input (three Gaussian clusters of different spreads, fixed seed)
  umap_graph.npy       nnz x 3 float64: row, column, value of umap.umap_.fuzzy_simplicial_set for
                       n_neighbors 15 (set_op_mix_ratio 1, local_connectivity 1), rows in order,
                       columns ascending within a row
  umap_sigma_rho.npy   300 x 2 float64: its sigmas and rhos
  umap_graph_mix.npy   the same for set_op_mix_ratio 0.4, local_connectivity 2.5
  umap_sigma_rho_mix.npy
  umap_ab.txt          "spread min_dist a b" lines from umap.umap_.find_ab_params (scipy curve_fit)
The neighbours are given to umap-learn, not searched by it: an exact float64 brute force, each
row's own index first (distance 0), then by (distance, index), as Latentscape's exact search ranks
them (UMAP counts the point itself as its first neighbour).
"""
import os
import numpy as np
import umap.umap_ as uu

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261214)
n, d, k = 300, 8, 15
centres = rng.uniform(-5, 5, (3, d))
scales = np.array([0.5, 1.0, 2.0])
labels = np.arange(n) % 3
X = (centres[labels] + scales[labels, None] * rng.standard_normal((n, d))).astype(np.float32)
np.save(os.path.join(here, "umap_X.npy"), X)

X64 = X.astype(np.float64)
sq = ((X64[:, None, :] - X64[None, :, :]) ** 2).sum(-1)
np.fill_diagonal(sq, -1.0)  # self first
order = np.lexsort((np.broadcast_to(np.arange(n), (n, n)), sq), axis=1)[:, :k]
knn_indices = order.astype(np.int64)
knn_dists = np.sqrt(np.maximum(np.take_along_axis(sq, order, axis=1), 0.0)).astype(np.float32)
assert (knn_indices[:, 0] == np.arange(n)).all()


def save(graph, sigmas, rhos, suffix):
    g = graph.tocsr()
    g.sort_indices()
    rows = np.repeat(np.arange(n), np.diff(g.indptr))
    np.save(os.path.join(here, "umap_graph%s.npy" % suffix),
            np.column_stack([rows, g.indices, g.data]).astype(np.float64))
    np.save(os.path.join(here, "umap_sigma_rho%s.npy" % suffix),
            np.column_stack([sigmas, rhos]).astype(np.float64))
    print(suffix or "default", "nnz", g.nnz, "symmetric", abs(g - g.T).max())


state = np.random.RandomState(0)
g, s, r = uu.fuzzy_simplicial_set(X, k, state, "euclidean", knn_indices=knn_indices, knn_dists=knn_dists)
save(g, s, r, "")
g, s, r = uu.fuzzy_simplicial_set(X, k, state, "euclidean", knn_indices=knn_indices, knn_dists=knn_dists,
                                  set_op_mix_ratio=0.4, local_connectivity=2.5)
save(g, s, r, "_mix")

with open(os.path.join(here, "umap_ab.txt"), "w") as out:
    for spread, min_dist in [(1.0, 0.1), (1.0, 0.001), (1.0, 0.0), (1.0, 0.5), (1.0, 0.99), (2.0, 0.3),
                             (0.5, 0.05), (3.0, 1.0)]:
        a, b = uu.find_ab_params(spread, min_dist)
        out.write("%r %r %.17g %.17g\n" % (spread, min_dist, a, b))
        print(spread, min_dist, a, b)
