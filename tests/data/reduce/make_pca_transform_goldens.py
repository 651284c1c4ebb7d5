#!/usr/bin/python3
"""Goldens of `latentscape-cli transform NEW --model MAP` for a PCA model (tests/cli/tst_cli.cpp).

Fits scikit-learn's PCA on pca_transform_fit.npy (200 x 6 float32, correlated columns far from
the origin, in different units) and writes the projection of the held-out rows
pca_transform_new.npy (40 x 6 float32) by PCA.transform, for three fits:
  pca_transform_plain.csv   PCA(n_components=3)
  pca_transform_whiten.csv  PCA(n_components=3, whiten=True)
  pca_transform_scaled.csv  make_pipeline(StandardScaler(), PCA(n_components=3))  (--scale)
One row per new row, 3 values in repr precision. Components are defined up to sign (Latentscape
flips each so its largest entry is positive, scikit-learn uses svd_flip): compare per column up
to sign. The fits run in float64 on the float32 values, as Latentscape's do.

Run with Debian's Python (numpy, scikit-learn): /usr/bin/python3 make_pca_transform_goldens.py
"""
import os

import numpy as np
from sklearn.decomposition import PCA
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(14)
mixing = rng.normal(size=(6, 6)) * np.array([1.0, 3.0, 0.5, 10.0, 2.0, 0.1])
offset = np.array([10.0, -5.0, 3.0, 0.0, 100.0, 1.0])
fit = (rng.normal(size=(200, 6)) @ mixing + offset).astype(np.float32)
new = (rng.normal(size=(40, 6)) @ mixing * 1.5 + offset + 0.7).astype(np.float32)
np.save(os.path.join(here, "pca_transform_fit.npy"), fit)
np.save(os.path.join(here, "pca_transform_new.npy"), new)

X = fit.astype(np.float64)
Z = new.astype(np.float64)
models = {
    "plain": PCA(n_components=3, svd_solver="full"),
    "whiten": PCA(n_components=3, whiten=True, svd_solver="full"),
    "scaled": make_pipeline(StandardScaler(), PCA(n_components=3, svd_solver="full")),
}
for name, model in models.items():
    P = model.fit(X).transform(Z)
    with open(os.path.join(here, "pca_transform_%s.csv" % name), "w") as f:
        for row in P:
            f.write(",".join(repr(float(v)) for v in row) + "\n")
