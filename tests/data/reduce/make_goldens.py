#!/usr/bin/python3
"""Golden values for tests/core/reduce/tst_pca.cpp, made with scikit-learn.

Run with Debian's Python (it has numpy and scikit-learn): /usr/bin/python3 make_goldens.py
Writes, next to this script:
  pca_X.npy                     300 x 20 float32 input (correlated Gaussian, fixed seed)
  pca_scores.npy                PCA(n_components=5, svd_solver='full') scores, float64 300 x 5
  pca_components.npy            its components_, 5 x 20
  pca_explained_variance.npy    its explained_variance_ (5) followed by explained_variance_ratio_ (5)
  pca_scaled_explained_variance.npy  the same after StandardScaler (PCA with scale = true)
"""
import os
import numpy as np
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20240611)
n, d = 300, 20
# A clear but not degenerate spectrum: column scales 10 .. 0.5, mixed by a random rotation,
# plus an offset so that centring matters.
latent = rng.standard_normal((n, d)) * np.linspace(10.0, 0.5, d)
rotation, _ = np.linalg.qr(rng.standard_normal((d, d)))
X = (latent @ rotation.T + rng.uniform(-50, 50, d)).astype(np.float32)
np.save(os.path.join(here, "pca_X.npy"), X)

Xd = X.astype(np.float64)  # what Latentscape sees: the float32 values, exactly
p = PCA(n_components=5, svd_solver="full").fit(Xd)
np.save(os.path.join(here, "pca_scores.npy"), p.transform(Xd))
np.save(os.path.join(here, "pca_components.npy"), p.components_)
np.save(os.path.join(here, "pca_explained_variance.npy"),
        np.concatenate([p.explained_variance_, p.explained_variance_ratio_]))

Xs = StandardScaler().fit_transform(Xd)
ps = PCA(n_components=5, svd_solver="full").fit(Xs)
np.save(os.path.join(here, "pca_scaled_explained_variance.npy"),
        np.concatenate([ps.explained_variance_, ps.explained_variance_ratio_]))
