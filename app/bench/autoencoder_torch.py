#!/usr/bin/python3
"""The PyTorch reference of `latentscape-bench autoencoder`.

Trains the same fully connected autoencoder as Latentscape (d-H1-...-L-...-H1-d, ReLU hidden
layers, linear bottleneck, sigmoid output, MSE with reduction "mean", Adam) on the float32 rows
of --train (an .npy the benchmark writes), with manual mini-batching of an index shuffled per
epoch by torch.randperm from the seed (no DataLoader), then reports the test MSE on --test and
writes the 2-D (L-D) codes of the test rows to --codes.

Run with Debian's Python (python3-torch, numpy): /usr/bin/python3. Only the training loop is
timed. Prints one JSON object on stdout.

Thread counts are fixed before numpy and torch are imported: OpenBLAS's pthread build sizes its
own pool from OPENBLAS_NUM_THREADS (else from the core count), independently of
torch.set_num_threads.
"""
import argparse
import json
import os
import sys


def parse():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--train", required=True, help="n x d float32 .npy, values in [0, 1]")
    p.add_argument("--test", required=True, help="m x d float32 .npy")
    p.add_argument("--codes", required=True, help="where to write the m x L float32 codes of --test")
    p.add_argument("--hidden", default="256,64")
    p.add_argument("--latent", type=int, default=2)
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--repeat", type=int, default=1, help="training runs, the fastest reported")
    return p.parse_args()


def loaded_blas():
    """The BLAS / LAPACK shared objects this process has really mapped (after a matmul)."""
    libs = set()
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1]
                name = os.path.basename(path)
                if path.startswith("/") and any(k in name for k in ("blas", "lapack", "mkl", "blis")):
                    libs.add(os.path.realpath(path))
    except OSError:
        pass
    return sorted(libs)


def blas_name(libs):
    joined = " ".join(libs).lower()
    for key, name in (("openblas", "OpenBLAS"), ("mkl", "MKL"), ("blis", "BLIS"), ("atlas", "ATLAS")):
        if key in joined:
            return name
    if "libblas" in joined:
        return "reference BLAS"
    return "unknown"


def openblas_threads():
    try:
        import ctypes
        for lib in loaded_blas():
            if "openblas" in lib:
                return int(ctypes.CDLL(lib).openblas_get_num_threads())
    except (OSError, AttributeError):
        pass
    return None


def main():
    args = parse()
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)
    import time

    import numpy as np
    import torch
    from torch import nn

    torch.set_num_threads(args.threads)
    X = torch.from_numpy(np.ascontiguousarray(np.load(args.train), dtype=np.float32))
    T = torch.from_numpy(np.ascontiguousarray(np.load(args.test), dtype=np.float32))
    n, d = X.shape
    hidden = [int(h) for h in args.hidden.split(",") if h]

    def build():
        torch.manual_seed(args.seed)
        sizes = [d] + hidden + [args.latent]
        enc, dec = [], []
        for i in range(len(sizes) - 1):
            enc.append(nn.Linear(sizes[i], sizes[i + 1]))
            if i + 1 < len(sizes) - 1:
                enc.append(nn.ReLU())
        back = sizes[::-1]
        for i in range(len(back) - 1):
            dec.append(nn.Linear(back[i], back[i + 1]))
            dec.append(nn.ReLU() if i + 1 < len(back) - 1 else nn.Sigmoid())
        return nn.Sequential(*enc), nn.Sequential(*dec)

    best = None
    for _ in range(max(1, args.repeat)):
        encoder, decoder = build()
        params = list(encoder.parameters()) + list(decoder.parameters())
        opt = torch.optim.Adam(params, lr=args.lr)
        loss_fn = nn.MSELoss()
        gen = torch.Generator().manual_seed(args.seed)
        history = []
        t0 = time.perf_counter()
        for _epoch in range(args.epochs):
            order = torch.randperm(n, generator=gen)
            total, batches = 0.0, 0
            for start in range(0, n, args.batch):
                xb = X[order[start:start + args.batch]]
                opt.zero_grad(set_to_none=True)
                loss = loss_fn(decoder(encoder(xb)), xb)
                loss.backward()
                opt.step()
                total += loss.item()
                batches += 1
            history.append(total / batches)
        seconds = time.perf_counter() - t0
        if best is None or seconds < best[0]:
            best = (seconds, encoder, decoder, history)

    seconds, encoder, decoder, history = best
    with torch.no_grad():
        codes = encoder(T)
        test_mse = float(nn.functional.mse_loss(decoder(codes), T))
    np.save(args.codes, codes.numpy().astype(np.float32))
    libs = loaded_blas()
    out = {
        "torch": torch.__version__,
        "numpy": np.__version__,
        "threads": torch.get_num_threads(),
        "blas": blas_name(libs),
        "blas_libraries": libs,
        "openblas_threads": openblas_threads(),
        "parameters": sum(p.numel() for p in list(encoder.parameters()) + list(decoder.parameters())),
        "rows": int(n),
        "epochs": args.epochs,
        "train_seconds": seconds,
        "samples_per_second": n * args.epochs / seconds,
        "train_loss": history,
        "test_mse": test_mse,
    }
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
