#!/usr/bin/python3
"""Goldens for tst_pca_view (the scree plot, issue 15): scikit-learn's PCA explained_variance_ratio_
of the first min(d, n, 30) components, which the app's View > PCA Components… shows.
- wine: UCI wine's 13 features (tests/data/preprocess/wine_features.npy): all 13 components, raw
  and after StandardScaler (the run's standardize preprocessing); the ratios sum to 1.
- wide: 80 rows x 40 columns of seeded Gaussians with decaying scales (scree_wide.npy, written
  here): 30 of 40 components, so the ratios are fractions of the total variance of all 40 columns
  and sum to less than 1.
Run with Debian's Python: /usr/bin/python3 make_scree_goldens.py
"""
import numpy as np
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

wine = np.load("../preprocess/wine_features.npy").astype(np.float64)
rng = np.random.default_rng(15)
wide = (rng.standard_normal((80, 40)) * np.linspace(3.0, 0.2, 40)).astype(np.float32)
np.save("scree_wide.npy", wide)

def ratios(X, k):
    return PCA(n_components=k, svd_solver="full").fit(X).explained_variance_ratio_

with open("scree_goldens.txt", "w") as f:
    for name, X, k in [("wine", wine, 13),
                       ("wine_standardize", StandardScaler().fit_transform(wine), 13),
                       ("wide", wide.astype(np.float64), 30)]:
        r = ratios(X, k)
        f.write(name + " " + " ".join("%.17g" % v for v in r) + "\n")
        print(name, k, r.sum())
