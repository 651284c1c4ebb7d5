#!/usr/bin/python3
"""Golden t-SNE input affinities for tests/core/reduce/tst_tsne.cpp, made with scikit-learn.

Run with Debian's Python (it has numpy and scikit-learn): /usr/bin/python3 make_tsne_goldens.py
Writes, next to this script:
  tsne_X.npy      150 x 5 float32 input (three Gaussian clusters, fixed seed)
  tsne_P.npy      nnz x 3 float64: row, column, value of the joint probabilities P that
                  sklearn.manifold.TSNE computes for perplexity 10 from k = 30 exact neighbours
                  (its own code path for method='barnes_hut': kneighbors_graph, squared distances,
                  _joint_probabilities_nn), rows in order, columns ascending within a row.
scikit-learn uses k = 3 * perplexity + 1 neighbours where Latentscape uses 3 * perplexity, so both
sides are given the same k here (Latentscape's test calls its affinities() with k = 30).
"""
import os
import numpy as np
from sklearn.neighbors import NearestNeighbors
from sklearn.manifold._t_sne import _joint_probabilities_nn

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261129)
n, d, perplexity, k = 150, 5, 10.0, 30
centres = rng.uniform(-6, 6, (3, d))
X = (centres[np.arange(n) % 3] + rng.standard_normal((n, d))).astype(np.float32)
np.save(os.path.join(here, "tsne_X.npy"), X)

knn = NearestNeighbors(n_neighbors=k, metric="euclidean").fit(X.astype(np.float64))
distances = knn.kneighbors_graph(mode="distance")
distances.data **= 2
P = _joint_probabilities_nn(distances, perplexity, 0).tocsr()
P.sort_indices()
rows = np.repeat(np.arange(n), np.diff(P.indptr))
np.save(os.path.join(here, "tsne_P.npy"), np.column_stack([rows, P.indices, P.data]).astype(np.float64))
print("nnz", P.nnz, "sum", P.sum())
