#!/usr/bin/python3
"""Golden values for tests/core/metrics/tst_pointwise.cpp: per-point trustworthiness, continuity
and k-NN recall, computed by an independent numpy brute force and checked here against
scikit-learn (the mean of the per-point values must be sklearn.manifold.trustworthiness, on the
whole set and on subsets of its rows).

Run with /usr/bin/python3 (numpy, scikit-learn) from this folder:
    /usr/bin/python3 make_pointwise_goldens.py
Writes pointwise_X.npy (200 x 10 float32), pointwise_Y_pca.npy and pointwise_Y_noisy.npy
(200 x 2 float32: PCA-2 of X, and the same with Gaussian noise), pointwise_<Y>_k<k>.npy
(200 x 3 float64: columns trustworthiness, continuity, k-NN recall of each point) for Y in pca,
noisy and k in 5, 10, pointwise_subset<s>.npy (int32 row ids of subset s) and
pointwise_scalars.txt ("name value" lines: sklearn's trustworthiness on the whole set and on
each subset).
"""
import numpy as np
from sklearn.decomposition import PCA
from sklearn.manifold import trustworthiness

rng = np.random.default_rng(13)
n, d, blobs = 200, 10, 4
labels = np.arange(n) % blobs
centres = rng.uniform(-2.0, 2.0, size=(blobs, d))
X = (centres[labels] + rng.normal(size=(n, d))).astype(np.float32)
Y_pca = PCA(n_components=2, random_state=0).fit_transform(X).astype(np.float32)
Y_noisy = (Y_pca + 0.5 * rng.normal(size=Y_pca.shape)).astype(np.float32)


def ordered_neighbours(A):
    """Row i: the other points by (squared distance, index), nearest first (float64 distances
    of the float32 input, as the C++ code computes them)."""
    A = A.astype(np.float64)
    D = ((A[:, None, :] - A[None, :, :]) ** 2).sum(axis=-1)
    m = len(A)
    out = np.empty((m, m - 1), dtype=np.int64)
    for i in range(m):
        order = np.lexsort((np.arange(m), D[i]))  # by distance, then by index
        out[i] = order[order != i]
    return out


def pointwise(A, B, k):
    """Per-point trustworthiness of B as an embedding of A, continuity and k-NN recall."""
    m = len(A)
    oa, ob = ordered_neighbours(A), ordered_neighbours(B)
    rank_a = np.empty((m, m), dtype=np.int64)  # rank_a[i, j]: 1-based rank of j among i's neighbours in A
    rank_b = np.empty((m, m), dtype=np.int64)
    for i in range(m):
        rank_a[i, oa[i]] = np.arange(1, m)
        rank_b[i, ob[i]] = np.arange(1, m)
    norm = 2.0 / (k * (2.0 * m - 3.0 * k - 1.0))
    trust, cont, recall = np.empty(m), np.empty(m), np.empty(m)
    for i in range(m):
        na, nb = oa[i, :k], ob[i, :k]
        trust[i] = 1.0 - norm * np.maximum(0, rank_a[i, nb] - k).sum()
        cont[i] = 1.0 - norm * np.maximum(0, rank_b[i, na] - k).sum()
        recall[i] = len(set(na.tolist()) & set(nb.tolist())) / k
    return trust, cont, recall


def check(A, B, k, what):
    t, c, _ = pointwise(A, B, k)
    A64, B64 = A.astype(np.float64), B.astype(np.float64)
    sk_t = trustworthiness(A64, B64, n_neighbors=k)
    sk_c = trustworthiness(B64, A64, n_neighbors=k)
    assert abs(t.mean() - sk_t) < 1e-10, (what, t.mean(), sk_t)
    assert abs(c.mean() - sk_c) < 1e-10, (what, c.mean(), sk_c)
    return sk_t, sk_c


np.save("pointwise_X.npy", X)
np.save("pointwise_Y_pca.npy", Y_pca)
np.save("pointwise_Y_noisy.npy", Y_noisy)

scalars = []
for name, Y in (("pca", Y_pca), ("noisy", Y_noisy)):
    for k in (5, 10):
        t, c, r = pointwise(X, Y, k)
        sk_t, sk_c = check(X, Y, k, f"{name} k={k}")
        np.save(f"pointwise_{name}_k{k}.npy", np.stack([t, c, r], axis=1))
        scalars += [(f"trust_{name}_k{k}", sk_t), (f"cont_{name}_k{k}", sk_c)]

# scikit-learn's trustworthiness on subsets of the rows: each subset is a dataset of its own,
# and the mean of its per-point values must again be scikit-learn's value.
for s, size in enumerate((40, 97, 150)):
    S = np.sort(rng.choice(n, size=size, replace=False)).astype(np.int32)
    np.save(f"pointwise_subset{s}.npy", S)
    for name, Y in (("pca", Y_pca), ("noisy", Y_noisy)):
        k = 5
        sk_t, sk_c = check(X[S], Y[S], k, f"subset {s} {name}")
        scalars += [(f"subset{s}_trust_{name}_k{k}", sk_t), (f"subset{s}_cont_{name}_k{k}", sk_c)]

with open("pointwise_scalars.txt", "w") as f:
    for name, value in scalars:
        f.write(f"{name} {value!r}\n")
print("pointwise goldens written; means equal scikit-learn's trustworthiness on", len(scalars), "checks")
