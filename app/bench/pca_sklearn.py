#!/usr/bin/python3
"""What a scikit-learn user runs for latentscape-bench pca's fresh-process case: load a float32
.npy, fit PCA(50) with the randomized solver (random_state=0), save the scores as float32.

usage: pca_sklearn.py IN.npy OUT.npy [COMPONENTS]
The bench times the whole process (interpreter start and imports included), as it times
latentscape-cli reduce.
"""
import sys

import numpy as np
from sklearn.decomposition import PCA

X = np.load(sys.argv[1])
k = int(sys.argv[3]) if len(sys.argv) > 3 else 50
Y = PCA(k, svd_solver="randomized", random_state=0).fit_transform(X)
np.save(sys.argv[2], Y.astype(np.float32))
