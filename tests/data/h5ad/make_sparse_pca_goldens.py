#!/usr/bin/python3
"""Goldens for tst_sparse_pca: scikit-learn's PCA and TruncatedSVD of csr.h5ad's X.

Run with Debian's Python (python3-anndata, python3-sklearn):
    cd tests/data/h5ad && /usr/bin/python3 make_sparse_pca_goldens.py
Writes csr.h5ad.pca.json with, for 3 components:
  pca           PCA(svd_solver="full") of X densified (centred): explained_variance_ (ddof = 1),
                explained_variance_ratio_, components_, and the scores fit_transform gives
  scaled_pca    the same after StandardScaler() (ddof = 0 scale, as PcaOptions::scale)
  truncated_svd TruncatedSVD(algorithm="arpack") of X as stored (not centred): singular_values_ and
                components_
Signs differ between scikit-learn and Latentscape (each picks its own rule): compare up to sign.
"""
import json

import anndata as ad
import numpy as np
from sklearn.decomposition import PCA, TruncatedSVD
from sklearn.preprocessing import StandardScaler

X = ad.read_h5ad("csr.h5ad").X
dense = X.toarray().astype(np.float64)


def pca_golden(data):
    p = PCA(n_components=3, svd_solver="full")
    scores = p.fit_transform(data)
    return {"explained_variance": p.explained_variance_.tolist(),
            "explained_variance_ratio": p.explained_variance_ratio_.tolist(),
            "components": p.components_.tolist(), "scores": scores.tolist()}


svd = TruncatedSVD(n_components=3, algorithm="arpack", random_state=0).fit(X.astype(np.float64))
golden = {
    "pca": pca_golden(dense),
    "scaled_pca": pca_golden(StandardScaler().fit_transform(dense)),
    "truncated_svd": {"singular_values": svd.singular_values_.tolist(), "components": svd.components_.tolist()},
}
with open("csr.h5ad.pca.json", "w") as f:
    json.dump(golden, f, indent=1)
print({k: v.get("explained_variance", v.get("singular_values")) for k, v in golden.items()})
