#!/usr/bin/python3
"""The PyTorch reference of `latentscape-bench gan`.

Trains the same GAN as Latentscape on the float32 rows of --train (an .npy the benchmark writes,
values in [0, 1]): a generator noise-H1-...-d (ReLU hidden layers, sigmoid output) and a
discriminator d-K1-...-1 (LeakyReLU 0.2 hidden layers, one logit), Adam (lr, beta1, 0.999) for
each, batch B, per step (as PyTorch's DCGAN example): D on BCE-with-logits of D(real) as 1 and
D(G(z).detach()) as 0, then G on BCE of D(G(z)) as 1 through the updated D, the same z. Mini-
batches are an index shuffled per epoch by torch.randperm from the seed (no DataLoader). Only the
training loop is timed. Then writes --samples rows G(z), z ~ N(0, I), to --out.

Run with Debian's Python (python3-torch, numpy): /usr/bin/python3. Prints one JSON object.
Thread counts are fixed before numpy and torch are imported (OpenBLAS sizes its own pool).
"""
import argparse
import json
import os
import sys


def parse():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--train", required=True)
    p.add_argument("--out", required=True, help="where the generated rows go (.npy)")
    p.add_argument("--samples", type=int, default=10000)
    p.add_argument("--noise", type=int, default=64)
    p.add_argument("--g-hidden", default="256,512")
    p.add_argument("--d-hidden", default="512,256")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=2e-4)
    p.add_argument("--beta1", type=float, default=0.5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    return p.parse_args()


def main():
    args = parse()
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)
    import time

    import numpy as np
    import torch
    from torch import nn

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    X = torch.from_numpy(np.ascontiguousarray(np.load(args.train), dtype=np.float32))
    n, d = X.shape

    def mlp(sizes, hidden_act, out_act):
        layers = []
        for i in range(len(sizes) - 1):
            layers.append(nn.Linear(sizes[i], sizes[i + 1]))
            if i + 1 < len(sizes) - 1:
                layers.append(hidden_act())
        if out_act is not None:
            layers.append(out_act())
        return nn.Sequential(*layers)

    gh = [int(h) for h in args.g_hidden.split(",") if h]
    dh = [int(h) for h in args.d_hidden.split(",") if h]
    G = mlp([args.noise] + gh + [d], nn.ReLU, nn.Sigmoid)
    D = mlp([d] + dh + [1], lambda: nn.LeakyReLU(0.2), None)
    opt_g = torch.optim.Adam(G.parameters(), lr=args.lr, betas=(args.beta1, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=args.lr, betas=(args.beta1, 0.999))
    bce = nn.BCEWithLogitsLoss()
    gen = torch.Generator().manual_seed(args.seed)
    history = []
    t0 = time.perf_counter()
    for _epoch in range(args.epochs):
        order = torch.randperm(n, generator=gen)
        g_total, d_total, batches = 0.0, 0.0, 0
        for start in range(0, n, args.batch):
            real = X[order[start:start + args.batch]]
            b = real.shape[0]
            ones, zeros = torch.ones(b, 1), torch.zeros(b, 1)
            z = torch.randn(b, args.noise, generator=gen)
            fake = G(z)
            opt_d.zero_grad(set_to_none=True)
            loss_d = bce(D(real), ones) + bce(D(fake.detach()), zeros)
            loss_d.backward()
            opt_d.step()
            opt_g.zero_grad(set_to_none=True)
            loss_g = bce(D(fake), ones)
            loss_g.backward()
            opt_g.step()
            g_total += loss_g.item()
            d_total += loss_d.item()
            batches += 1
        history.append({"generator_loss": g_total / batches, "discriminator_loss": d_total / batches})
    seconds = time.perf_counter() - t0
    with torch.no_grad():
        samples = G(torch.randn(args.samples, args.noise, generator=gen))
    np.save(args.out, samples.numpy().astype(np.float32))
    out = {
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "parameters": sum(p.numel() for p in list(G.parameters()) + list(D.parameters())),
        "rows": int(n),
        "epochs": args.epochs,
        "train_seconds": seconds,
        "samples_per_second": n * args.epochs / seconds,
        "history": history,
    }
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
