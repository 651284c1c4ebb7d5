#!/usr/bin/python3
"""Golden files for tests/core/cluster/tst_kmeans.cpp (run with Debian's /usr/bin/python3).

kmeans_blobs3.npy    300 x 4 float32, 3 well-separated blobs (clear optimum)
kmeans_overlap5.npy  400 x 6 float32, 5 overlapping blobs (several local optima)
kmeans_golden.txt    one line per file: name k inertia, from scikit-learn's
                     KMeans(n_clusters=k, n_init=10, random_state=0) on the float32 data
"""
import os
import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs

here = os.path.dirname(os.path.abspath(__file__))
cases = [
    ("kmeans_blobs3", 3, make_blobs(n_samples=300, n_features=4, centers=3, cluster_std=1.0,
                                    center_box=(-20, 20), random_state=0)[0]),
    ("kmeans_overlap5", 5, make_blobs(n_samples=400, n_features=6, centers=5, cluster_std=3.0,
                                      center_box=(-8, 8), random_state=1)[0]),
]
with open(os.path.join(here, "kmeans_golden.txt"), "w") as out:
    out.write("# name k inertia  (scikit-learn %s, KMeans(k, n_init=10, random_state=0), float32)\n"
              % sklearn.__version__)
    for name, k, X in cases:
        X = X.astype(np.float32)
        np.save(os.path.join(here, name + ".npy"), X)
        km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(X)
        out.write("%s %d %.17g\n" % (name, k, km.inertia_))
