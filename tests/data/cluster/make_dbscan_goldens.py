#!/usr/bin/python3
"""Golden files for tests/core/cluster/tst_dbscan.cpp, made with scikit-learn's DBSCAN.

Run with Debian's Python (numpy, scikit-learn): /usr/bin/python3 make_dbscan_goldens.py
For each case NAME it writes, next to this script:
  dbscan_NAME_X.npy       float32 n x d points (sklearn works on them converted to float64)
  dbscan_NAME_labels.npy  int32 sklearn labels_ (-1 = noise)
  dbscan_NAME_core.npy    uint8 1 where the index is in core_sample_indices_
  dbscan_NAME_kdist.npy   float32 distance to the min_samples-th neighbour (the point itself
                          first), NearestNeighbors(n_neighbors=min_samples).kneighbors(X), sorted
                          in descending order
The eps and min_samples of each case are in the test's data table (and printed here).
"""
import os
import numpy as np
import sklearn
from sklearn.cluster import DBSCAN
from sklearn.datasets import make_blobs
from sklearn.neighbors import NearestNeighbors

HERE = os.path.dirname(os.path.abspath(__file__))


def case(name, X, eps, min_samples):
    X = np.ascontiguousarray(X, dtype=np.float32)
    db = DBSCAN(eps=eps, min_samples=min_samples).fit(X.astype(np.float64))
    core = np.zeros(len(X), np.uint8)
    core[db.core_sample_indices_] = 1
    dist, _ = NearestNeighbors(n_neighbors=min_samples).fit(X.astype(np.float64)).kneighbors(X.astype(np.float64))
    kdist = np.sort(dist[:, -1])[::-1].astype(np.float32)
    np.save(os.path.join(HERE, f"dbscan_{name}_X.npy"), X)
    np.save(os.path.join(HERE, f"dbscan_{name}_labels.npy"), db.labels_.astype(np.int32))
    np.save(os.path.join(HERE, f"dbscan_{name}_core.npy"), core)
    np.save(os.path.join(HERE, f"dbscan_{name}_kdist.npy"), kdist)
    labels = db.labels_
    border = (labels >= 0) & (core == 0)
    print(f"{name}: n={len(X)} d={X.shape[1]} eps={eps} min_samples={min_samples} "
          f"clusters={labels.max() + 1} noise={(labels < 0).sum()} core={core.sum()} border={border.sum()}")


def main():
    print("scikit-learn", sklearn.__version__)
    rng = np.random.RandomState(7)
    # 2-D: four blobs of different spread, two of them close enough to share border points, plus
    # uniform noise over the whole box.
    X, _ = make_blobs(n_samples=400, centers=[[0, 0], [3, 0], [0, 5], [6, 6]],
                      cluster_std=[0.5, 0.6, 0.8, 0.4], random_state=3)
    X = np.vstack([X, rng.uniform(-3, 9, size=(60, 2))])
    X = X[rng.permutation(len(X))]
    case("2d", X, eps=0.45, min_samples=6)
    # 10-D: three blobs plus noise; eps near the knee of the k-distance curve.
    X, _ = make_blobs(n_samples=300, n_features=10, centers=3, cluster_std=1.0, random_state=5)
    X = np.vstack([X, rng.uniform(X.min(), X.max(), size=(30, 10))])
    X = X[rng.permutation(len(X))]
    case("10d", X, eps=3.0, min_samples=8)


if __name__ == "__main__":
    main()
