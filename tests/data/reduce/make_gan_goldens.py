#!/usr/bin/python3
"""Golden GAN training steps, computed by PyTorch in float64, for tst_gan (an implementation
independent of ours): three steps of app/bench/gan_torch.py's loop on one fixed batch.

Run with Debian's python3 and python3-torch:  /usr/bin/python3 make_gan_goldens.py
Writes gan_goldens.txt next to this script: "<name> <values...>" lines. X (d x B) and z (noise x B)
are column-major (one sample per column); G<l>W / D<l>W are weights (out x in, column-major), G<l>b
/ D<l>b biases, first as initialised, then after each step ("step<k>" lines, then the losses).

Networks: generator noise 3 -> 4 -> 6 -> 5 (ReLU, sigmoid output), discriminator 5 -> 6 -> 3 -> 1
(LeakyReLU 0.2). A step: Adam on D with BCE-with-logits of D(x) as 1 and D(G(z).detach()) as 0,
then Adam on G with BCE of D(G(z)) as 1 through the updated D (lr 0.01, betas 0.5, 0.999).
"""
import os
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
D, NZ, B = 5, 3, 4
G_SIZES = [NZ, 4, 6, D]
D_SIZES = [D, 6, 3, 1]
LR, BETAS, STEPS = 0.01, (0.5, 0.999), 3


def colmajor(t):
    return t.detach().t().contiguous().flatten().tolist()


def params(sizes, gen):
    Ws = [(torch.rand(o, i, generator=gen) * 1.6 - 0.8).requires_grad_() for i, o in zip(sizes[:-1], sizes[1:])]
    bs = [(torch.rand(o, generator=gen) * 0.6 - 0.3).requires_grad_() for o in sizes[1:]]
    return Ws, bs


def run(x, Ws, bs, hidden, out):
    for l, (W, b) in enumerate(zip(Ws, bs)):
        x = F.linear(x, W, b)
        x = hidden(x) if l < len(Ws) - 1 else out(x)
    return x


def dump(out, prefix, Ws, bs):
    for l, (W, b) in enumerate(zip(Ws, bs)):
        out.append(f"{prefix}{l}W " + " ".join(repr(v) for v in colmajor(W)))
        out.append(f"{prefix}{l}b " + " ".join(repr(v) for v in b.detach().tolist()))


def main():
    gen = torch.Generator().manual_seed(20261207)
    GW, Gb = params(G_SIZES, gen)
    DW, Db = params(D_SIZES, gen)
    X = torch.rand(B, D, generator=gen) * 0.96 + 0.02
    z = torch.randn(B, NZ, generator=gen)
    out = ["X " + " ".join(repr(v) for v in X.flatten().tolist()), "z " + " ".join(repr(v) for v in z.flatten().tolist())]
    dump(out, "G", GW, Gb)
    dump(out, "D", DW, Db)
    generator = lambda t: run(t, GW, Gb, torch.relu, torch.sigmoid)
    discriminator = lambda t: run(t, DW, Db, lambda h: F.leaky_relu(h, 0.2), lambda h: h)
    opt_g = torch.optim.Adam(GW + Gb, lr=LR, betas=BETAS)
    opt_d = torch.optim.Adam(DW + Db, lr=LR, betas=BETAS)
    ones, zeros = torch.ones(B, 1), torch.zeros(B, 1)
    for step in range(1, STEPS + 1):
        fake = generator(z)
        opt_d.zero_grad()
        loss_d = F.binary_cross_entropy_with_logits(discriminator(X), ones) + \
            F.binary_cross_entropy_with_logits(discriminator(fake.detach()), zeros)
        loss_d.backward()
        opt_d.step()
        opt_g.zero_grad()
        loss_g = F.binary_cross_entropy_with_logits(discriminator(fake), ones)
        loss_g.backward()
        opt_g.step()
        out.append(f"step{step}")
        out.append(f"loss_d {loss_d.item()!r}")
        out.append(f"loss_g {loss_g.item()!r}")
        dump(out, "G", GW, Gb)
        dump(out, "D", DW, Db)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gan_goldens.txt")
    with open(path, "w") as f:
        f.write(f"# made by make_gan_goldens.py with torch {torch.__version__}\n")
        f.write("\n".join(out) + "\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
