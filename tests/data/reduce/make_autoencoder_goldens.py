#!/usr/bin/python3
"""Golden losses and gradients of small autoencoders and VAEs, computed by PyTorch's autograd in
float64, for tst_autoencoder (an implementation independent of ours).

Run with Debian's python3 and python3-torch:  /usr/bin/python3 make_autoencoder_goldens.py
Writes autoencoder_goldens.txt next to this script. Each case is a block of lines
"<name> <values...>": the configuration, the batch X (d x B, column-major: one sample per
column), the VAE noise eps (L x B, column-major), the weights W<l> (out x in, column-major) and
biases b<l> of every layer (encoder then decoder), the loss, and the gradients gW<l>, gb<l>.

Loss definitions (as documented in core/reduce/autoencoder.h): the autoencoder takes the mean
over every value of the batch; the VAE takes, per sample, the reconstruction summed over the
features plus beta x KL(N(mu, exp(logvar)) || N(0, I)), averaged over the batch.
"""
import os
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
D, HIDDEN, L, B = 5, [6, 3], 2, 4
CASES = [
    # name, activation, sigmoid output, loss, variational, beta
    ("relu_sigmoid_mse_ae", "relu", True, "mse", False, 1.0),
    ("gelu_sigmoid_bce_vae", "gelu", True, "bce", True, 0.7),
    ("tanh_linear_mse_vae", "tanh", False, "mse", True, 1.0),
    ("linear_sigmoid_bce_ae", "linear", True, "bce", False, 1.0),
    ("gelu_linear_mse_ae", "gelu", False, "mse", False, 1.0),
]


def act(name, z):
    return {"relu": torch.relu, "gelu": F.gelu, "tanh": torch.tanh, "linear": lambda t: t}[name](z)


def colmajor(t):
    # out x in tensor -> our layout: column-major, i.e. the transpose flattened row by row
    return t.detach().t().contiguous().flatten().tolist()


def main():
    out = []
    gen = torch.Generator().manual_seed(20261129)
    for name, activation, sigmoid, loss_name, vae, beta in CASES:
        sizes_in = [D] + HIDDEN
        sizes_out = HIDDEN + [2 * L if vae else L]
        dec_in = [L] + HIDDEN[::-1]
        dec_out = HIDDEN[::-1] + [D]
        shapes = list(zip(sizes_out, sizes_in)) + list(zip(dec_out, dec_in))
        Ws = [(torch.rand(o, i, generator=gen) * 1.6 - 0.8).requires_grad_() for o, i in shapes]
        bs = [(torch.rand(o, generator=gen) * 0.6 - 0.3).requires_grad_() for o, _ in shapes]
        X = torch.rand(B, D, generator=gen) * 0.96 + 0.02          # one sample per row here
        eps = torch.randn(B, L, generator=gen)
        n_enc = len(HIDDEN) + 1
        h = X
        for l in range(n_enc):
            h = F.linear(h, Ws[l], bs[l])
            if l < n_enc - 1:
                h = act(activation, h)
        if vae:
            mu, logvar = h[:, :L], h[:, L:]
            z = mu + torch.exp(0.5 * logvar) * eps
        else:
            z = h
        h = z
        for l in range(n_enc, len(Ws)):
            h = F.linear(h, Ws[l], bs[l])
            if l < len(Ws) - 1:
                h = act(activation, h)
        logits = h
        recon_out = torch.sigmoid(logits) if sigmoid else logits
        if loss_name == "bce":
            per_value = F.binary_cross_entropy_with_logits(logits, X, reduction="none")
        else:
            per_value = (recon_out - X) ** 2
        if vae:
            kl = -0.5 * torch.sum(1 + logvar - mu ** 2 - torch.exp(logvar))
            loss = (per_value.sum() + beta * kl) / B
        else:
            loss = per_value.mean()
        loss.backward()
        out.append(f"case {name} {activation} {int(sigmoid)} {loss_name} {int(vae)} {beta!r}")
        out.append("X " + " ".join(repr(v) for v in X.flatten().tolist()))  # row-major B x D == column-major D x B
        out.append("eps " + " ".join(repr(v) for v in eps.flatten().tolist()))
        for l, (W, b) in enumerate(zip(Ws, bs)):
            out.append(f"W{l} " + " ".join(repr(v) for v in colmajor(W)))
            out.append(f"b{l} " + " ".join(repr(v) for v in b.detach().tolist()))
        out.append(f"loss {loss.item()!r}")
        for l, (W, b) in enumerate(zip(Ws, bs)):
            out.append(f"gW{l} " + " ".join(repr(v) for v in colmajor(W.grad)))
            out.append(f"gb{l} " + " ".join(repr(v) for v in b.grad.tolist()))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "autoencoder_goldens.txt")
    with open(path, "w") as f:
        f.write(f"# made by make_autoencoder_goldens.py with torch {torch.__version__}\n")
        f.write("\n".join(out) + "\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
