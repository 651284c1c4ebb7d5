#!/usr/bin/python3
"""The umap-learn reference of `latentscape-bench transform`.

Fits umap.UMAP on the float32 rows of --train (the defaults Latentscape uses: n_neighbors 15,
min_dist 0.1, spread 1, spectral initialisation), places the rows of --test on that map with
UMAP.transform, and, with --full, fits a second UMAP on train and test together (the run whose
test-row positions the placed ones are compared with). Writes the embeddings (--out-train,
--out-test, --out-full: float32 .npy) and prints one JSON object: wall times of the fit, the
transform and the full fit. Numba's compilation runs first on 2,000 random points and is not
counted. random_state unset: umap-learn's SGD then runs in parallel (a seed serialises it).

Run with Debian's Python (umap-learn, numpy, numba): /usr/bin/python3.
"""
import argparse
import json
import os
import sys
import time


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--train", required=True)
    p.add_argument("--test", required=True)
    p.add_argument("--out-train", required=True)
    p.add_argument("--out-test", required=True)
    p.add_argument("--out-full", default=None)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    for var in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)
    import warnings
    warnings.filterwarnings("ignore")
    import numpy as np
    import umap

    train = np.load(args.train).astype(np.float32)
    test = np.load(args.test).astype(np.float32)
    t = time.perf_counter()
    warm = np.random.default_rng(0).standard_normal((2000, train.shape[1])).astype(np.float32)
    umap.UMAP(n_epochs=5, force_approximation_algorithm=True).fit(warm[:1500]).transform(warm[1500:])
    compile_s = time.perf_counter() - t

    model = umap.UMAP(n_neighbors=15, min_dist=0.1)
    t = time.perf_counter()
    Y_train = model.fit_transform(train)
    fit_s = time.perf_counter() - t
    t = time.perf_counter()
    Y_test = model.transform(test)
    transform_s = time.perf_counter() - t
    np.save(args.out_train, Y_train.astype(np.float32))
    np.save(args.out_test, Y_test.astype(np.float32))
    full_s = -1.0
    if args.out_full:
        t = time.perf_counter()
        Y_full = umap.UMAP(n_neighbors=15, min_dist=0.1).fit_transform(np.vstack([train, test]))
        full_s = time.perf_counter() - t
        np.save(args.out_full, Y_full.astype(np.float32))
    json.dump({"fit_seconds": fit_s, "transform_seconds": transform_s, "full_seconds": full_s,
               "compile_seconds": compile_s, "umap_version": umap.__version__}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
