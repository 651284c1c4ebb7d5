#!/usr/bin/python3
"""Golden values for tests/core/metrics, computed by scikit-learn.

Run with /usr/bin/python3 (numpy, scipy, scikit-learn) from this folder:
    /usr/bin/python3 make_goldens.py
Writes X.npy (200 x 10 float32), Y_pca.npy and Y_rand.npy (200 x 2 float32), labels.npy (int32
blob ids), labels_b.npy (int32, k-means on Y_pca), labels_noise.npy (int32, some -1), labels_random.npy (int32, uniform 0..2),
silhouette_X.txt / silhouette_Y.txt (silhouette_samples, one value a line) and scalars.txt
("name value" lines).
"""
import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.manifold import trustworthiness
from sklearn.metrics import (adjusted_rand_score, normalized_mutual_info_score,
                             silhouette_samples, silhouette_score)
from sklearn.neighbors import NearestNeighbors

rng = np.random.default_rng(7)
n, d, blobs = 200, 10, 4
labels = (np.arange(n) % blobs).astype(np.int32)
centres = rng.uniform(-3.0, 3.0, size=(blobs, d))
X = (centres[labels] + rng.normal(size=(n, d))).astype(np.float32)
Y_pca = PCA(n_components=2, random_state=0).fit_transform(X).astype(np.float32)
Y_rand = (X @ rng.normal(size=(d, 2))).astype(np.float32)
labels_b = KMeans(n_clusters=5, n_init=3, random_state=0).fit_predict(Y_pca).astype(np.int32)
labels_noise = labels.copy()
labels_noise[rng.random(n) < 0.1] = -1

np.save("X.npy", X)
np.save("Y_pca.npy", Y_pca)
np.save("Y_rand.npy", Y_rand)
np.save("labels.npy", labels)
np.save("labels_b.npy", labels_b)
np.save("labels_noise.npy", labels_noise)

X64, P64, R64 = (a.astype(np.float64) for a in (X, Y_pca, Y_rand))


def knn(A, k):
    return NearestNeighbors(n_neighbors=k).fit(A).kneighbors(return_distance=False)


def recall(A, B, k):
    a, b = knn(A, k), knn(B, k)
    return np.mean([len(set(a[i]) & set(b[i])) / k for i in range(len(A))])


def knn_accuracy(B, lab, k):
    keep = lab >= 0
    B, lab = B[keep], lab[keep]
    nb = knn(B, k)
    hits = 0
    for i in range(len(B)):
        counts = np.bincount(lab[nb[i]])
        hits += int(np.argmax(counts) == lab[i])  # argmax: smallest label on ties
    return hits / len(B)


out = []
for name, Y in (("pca", P64), ("rand", R64)):
    for k in (5, 10):
        out.append((f"trust_{name}_k{k}", trustworthiness(X64, Y, n_neighbors=k)))
        out.append((f"cont_{name}_k{k}", trustworthiness(Y, X64, n_neighbors=k)))
        out.append((f"recall_{name}_k{k}", recall(X64, Y, k)))
        out.append((f"acc_{name}_k{k}", knn_accuracy(Y, labels, k)))
        out.append((f"accnoise_{name}_k{k}", knn_accuracy(Y, labels_noise, k)))
out.append(("silhouette_X", silhouette_score(X64, labels)))
out.append(("silhouette_Y", silhouette_score(P64, labels_b)))
keep = labels_noise >= 0
out.append(("silhouette_noise", silhouette_score(X64[keep], labels_noise[keep])))
pairs = {
    "blob_kmeans": (labels, labels_b),
    "blob_noise": (labels, labels_noise),
    "kmeans_noise": (labels_b, labels_noise),
    "blob_random": (labels, rng.integers(0, 3, n).astype(np.int32)),
}
np.save("labels_random.npy", pairs["blob_random"][1])
for name, (a, b) in pairs.items():
    out.append((f"ari_{name}", adjusted_rand_score(a, b)))
    out.append((f"nmi_{name}", normalized_mutual_info_score(a, b)))

with open("scalars.txt", "w") as f:
    for name, value in out:
        f.write(f"{name} {float(value):.17g}\n")
np.savetxt("silhouette_X.txt", silhouette_samples(X64, labels), fmt="%.17g")
np.savetxt("silhouette_Y.txt", silhouette_samples(P64, labels_b), fmt="%.17g")
