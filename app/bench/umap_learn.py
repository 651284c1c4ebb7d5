#!/usr/bin/python3
"""The umap-learn reference of `latentscape-bench umap`.

Embeds the float32 rows of --data (an .npy the benchmark writes) with umap.UMAP at the same
settings as Latentscape's defaults (n_neighbors 15, min_dist 0.1, spread 1, spectral
initialisation, 200 epochs above 10,000 points, else 500), writes the embedding to --out and
prints one JSON object on stdout: the wall time of UMAP().fit_transform (what a user waits for),
and, measured separately with the same parameters, the time of its neighbour search
(umap.umap_.nearest_neighbors: NN-descent for 4,096 points and more).

Numba compiles umap-learn's and pynndescent's kernels on first use: a fit of 2,000 random
points runs first, untimed, so that compilation is not counted (its time is reported apart).
random_state is left unset by default because umap-learn then runs its SGD in parallel (a seed
makes it single-threaded); --seed N sets it.

Run with Debian's Python (umap-learn, numpy, numba): /usr/bin/python3. Thread counts are fixed
before numba and numpy are imported.
"""
import argparse
import json
import os
import sys
import time


def parse():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True, help="n x d float32 .npy")
    p.add_argument("--out", required=True, help="where to write the n x dims float32 embedding")
    p.add_argument("--dims", type=int, default=2)
    p.add_argument("--n-neighbors", type=int, default=15)
    p.add_argument("--min-dist", type=float, default=0.1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--skip-neighbors", action="store_true", help="do not time the neighbour search apart")
    return p.parse_args()


def main():
    args = parse()
    for var in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)
    import warnings
    warnings.filterwarnings("ignore")
    import numpy as np
    import umap
    from umap.umap_ import nearest_neighbors

    X = np.load(args.data).astype(np.float32)
    t = time.perf_counter()
    warm = np.random.default_rng(0).standard_normal((2000, X.shape[1])).astype(np.float32)
    umap.UMAP(n_components=args.dims, n_epochs=5, force_approximation_algorithm=True).fit_transform(warm)
    nearest_neighbors(warm, args.n_neighbors, "euclidean", {}, False, None, low_memory=True)
    compile_s = time.perf_counter() - t

    neighbors_s = -1.0
    if not args.skip_neighbors:
        t = time.perf_counter()
        # What UMAP.fit calls for n >= 4096 (below that it takes an exact distance matrix).
        nearest_neighbors(X, args.n_neighbors, "euclidean", {}, False, None, low_memory=True)
        neighbors_s = time.perf_counter() - t

    model = umap.UMAP(n_components=args.dims, n_neighbors=args.n_neighbors, min_dist=args.min_dist,
                      random_state=args.seed)
    t = time.perf_counter()
    Y = model.fit_transform(X)
    total_s = time.perf_counter() - t
    np.save(args.out, Y.astype(np.float32))
    json.dump({"seconds": total_s, "neighbors_seconds": neighbors_s, "compile_seconds": compile_s,
               "umap_version": umap.__version__, "n": int(X.shape[0]), "d": int(X.shape[1]),
               "parallel_sgd": args.seed is None}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
