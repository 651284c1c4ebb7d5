#!/usr/bin/python3
"""Small AnnData (.h5ad) files for tst_h5ad, and what anndata itself reads from them.

Run with Debian's Python (python3-anndata, 0.8): cd tests/data/h5ad && /usr/bin/python3 make_h5ad_fixtures.py
Deterministic (fixed seed); the files are a few KB each and are committed, so the tests need no Python.

The same 40 cells x 12 genes, written in every layout the loader reads:
  dense.h5ad     X dense float32 (log1p of normalised counts)
  csr.h5ad       X CSR (csr_matrix group), float64 counts (integers, exact in float32)
  csc.h5ad       X CSC (csc_matrix group), int32 counts
  dense_int.h5ad X dense int64 counts, no obsm; obs columns written in their own order
  nullable_09.h5ad dense.h5ad plus anndata 0.9's nullable-integer and nullable-boolean obs columns
                 (written with h5py; their goldens come from the pandas arrays, as anndata 0.8 cannot
                 read them)
  legacy_07.h5ad anndata 0.7's layout, rewritten here with h5py: categoricals as integer codes with a
                 'categories' attribute (an object reference into obs/__categories), sparse X as an
                 h5sparse group (h5sparse_format / h5sparse_shape attributes); anndata 0.8 reads it
obs: cell_type (categorical, one missing), batch (categorical of integers), n_genes (int64),
total_counts (float64, one NaN), barcode (unique strings: text), is_doublet (bool).
obsm: X_umap (40 x 2, float32), X_pca (40 x 3, float64).

Goldens, each from anndata.read_h5ad(<file>) (never from the arrays written):
  <file>.X.npy         X densified, as float32
  <file>.<key>.npy     each obsm array, as float32
  <file>.obs.json      obs_names, var_names, and each obs column decoded: categorical (categories as
                       str(), codes with -1 for missing; a bool column as categories False/True),
                       numeric (null for NaN) or text
"""
import json

import anndata as ad
import h5py
import numpy as np
import pandas as pd
import scipy.sparse as sp

rng = np.random.default_rng(20261207)
n, d = 40, 12

counts = rng.poisson(rng.uniform(0.2, 3.0, size=d), size=(n, d))
counts[:, 5] = 0  # an all-zero gene, as real data has
cell_type = pd.Categorical(rng.choice(["B cell", "T cell", "monocyte"], size=n),
                           categories=["B cell", "T cell", "monocyte"])
cell_type[7] = np.nan
total = counts.sum(axis=1).astype(np.float64)
total[3] = np.nan
obs = pd.DataFrame(
    {
        "cell_type": cell_type,
        "batch": pd.Categorical(rng.choice([1, 2], size=n)),
        "n_genes": (counts > 0).sum(axis=1).astype(np.int64),
        "total_counts": total,
        "barcode": [f"AC{i:03d}GT-{rng.integers(1000, 9999)}" for i in range(n)],
        "is_doublet": rng.random(n) < 0.2,
    },
    index=[f"cell_{i:02d}" for i in range(n)],
)
var = pd.DataFrame(index=[f"Gene{j}" for j in range(d)])
umap = rng.normal(size=(n, 2)).astype(np.float32)
pca = rng.normal(scale=3.0, size=(n, 3))
lognorm = np.log1p(counts / np.maximum(counts.sum(axis=1, keepdims=True), 1) * 1e4).astype(np.float32)


def write(name, X, obsm=True, obs_frame=obs):
    a = ad.AnnData(X=X, obs=obs_frame.copy(), var=var.copy(), dtype=X.dtype)
    if obsm:
        a.obsm["X_umap"] = umap
        a.obsm["X_pca"] = pca
    a.write_h5ad(name)


write("dense.h5ad", lognorm)
write("csr.h5ad", sp.csr_matrix(counts.astype(np.float64)))
write("csc.h5ad", sp.csc_matrix(counts.astype(np.int32)))
write("dense_int.h5ad", counts.astype(np.int64), obsm=False,
      obs_frame=obs[["n_genes", "barcode", "cell_type"]])

# anndata 0.7's layout, made from csr.h5ad.
with h5py.File("csr.h5ad", "r") as src, h5py.File("legacy_07.h5ad", "w") as f:
    xs = src["X"]
    x = f.create_group("X")
    for key in ("data", "indices", "indptr"):
        x.create_dataset(key, data=xs[key][...])
    x.attrs["h5sparse_format"] = "csr"
    x.attrs["h5sparse_shape"] = np.array([n, d])
    strings = h5py.string_dtype()
    o = f.create_group("obs")
    o.attrs["_index"] = "_index"
    o.attrs.create("column-order", ["cell_type", "batch", "total_counts"], dtype=strings)
    o.attrs["encoding-type"] = "dataframe"
    o.attrs["encoding-version"] = "0.1.0"
    o.create_dataset("_index", data=np.array(obs.index, dtype=object), dtype=strings)
    cats = o.create_group("__categories")
    cats.create_dataset("cell_type", data=np.array(obs["cell_type"].cat.categories, dtype=object), dtype=strings)
    o.create_dataset("cell_type", data=obs["cell_type"].cat.codes.to_numpy().astype(np.int8))
    o["cell_type"].attrs["categories"] = cats["cell_type"].ref
    cats.create_dataset("batch", data=np.array(obs["batch"].cat.categories, dtype=np.int64))
    o.create_dataset("batch", data=obs["batch"].cat.codes.to_numpy().astype(np.int8))
    o["batch"].attrs["categories"] = cats["batch"].ref
    o.create_dataset("total_counts", data=obs["total_counts"].to_numpy())
    v = f.create_group("var")
    v.attrs["_index"] = "_index"
    v.attrs["column-order"] = np.zeros(0)  # as anndata writes an empty one
    v.attrs["encoding-type"] = "dataframe"
    v.attrs["encoding-version"] = "0.1.0"
    v.create_dataset("_index", data=np.array(var.index, dtype=object), dtype=strings)
    m = f.create_group("obsm")
    m.create_dataset("X_umap", data=umap)
    f.attrs["encoding-type"] = "anndata"
    f.attrs["encoding-version"] = "0.1.0"

# anndata 0.9's nullable columns (pandas Int64 / boolean with missing values), added to a copy of
# dense.h5ad with h5py in 0.9's layout: a group of 'values' and a bool 'mask'. anndata 0.8 cannot
# read them, so this file's goldens come from the pandas arrays written (see below).
nullable_int = pd.array([None if i % 7 == 3 else int(i * 3) for i in range(n)], dtype="Int64")
nullable_bool = pd.array([None if i % 5 == 1 else bool(i % 2) for i in range(n)], dtype="boolean")
with h5py.File("dense.h5ad", "r") as src, h5py.File("nullable_09.h5ad", "w") as f:
    for key in src:
        src.copy(src[key], f, name=key)
    for key, value in src.attrs.items():
        f.attrs[key] = value
    for name, arr, enc in (("n_umis", nullable_int, "nullable-integer"), ("passed_qc", nullable_bool, "nullable-boolean")):
        g = f["obs"].create_group(name)
        g.attrs["encoding-type"] = enc
        g.attrs["encoding-version"] = "0.1.0"
        g.create_dataset("values", data=arr.to_numpy(dtype="int64" if enc == "nullable-integer" else "bool",
                                                      na_value=0 if enc == "nullable-integer" else False))
        g.create_dataset("mask", data=np.asarray(arr.isna()))
    order = list(f["obs"].attrs["column-order"]) + ["n_umis", "passed_qc"]
    f["obs"].attrs.create("column-order", order, dtype=h5py.string_dtype())


def column_golden(series):
    if isinstance(series.dtype, pd.CategoricalDtype):
        return {"kind": "categorical", "categories": [str(c) for c in series.cat.categories],
                "codes": [int(c) for c in series.cat.codes]}
    if series.dtype == bool:
        return {"kind": "categorical", "categories": ["False", "True"], "codes": [int(v) for v in series]}
    if np.issubdtype(series.dtype, np.number):
        return {"kind": "numeric", "values": [None if np.isnan(v) else float(v) for v in series.astype(float)]}
    return {"kind": "text", "values": [str(v) for v in series]}


for name in ("dense.h5ad", "csr.h5ad", "csc.h5ad", "dense_int.h5ad", "legacy_07.h5ad"):
    a = ad.read_h5ad(name)
    X = a.X.toarray() if sp.issparse(a.X) else np.asarray(a.X)
    np.save(name + ".X.npy", X.astype(np.float32))
    for key in a.obsm.keys():
        np.save(f"{name}.{key}.npy", np.asarray(a.obsm[key]).astype(np.float32))
    golden = {
        "obs_names": [str(s) for s in a.obs_names],
        "var_names": [str(s) for s in a.var_names],
        "obs": {col: column_golden(a.obs[col]) for col in a.obs.columns},
        "obs_order": [str(c) for c in a.obs.columns],
        "obsm": sorted(a.obsm.keys()),
    }
    if name == "dense.h5ad":
        # nullable_09.h5ad: dense.h5ad plus the two nullable columns (decoded from the pandas arrays).
        np.save("nullable_09.h5ad.X.npy", X.astype(np.float32))
        for key in a.obsm.keys():
            np.save(f"nullable_09.h5ad.{key}.npy", np.asarray(a.obsm[key]).astype(np.float32))
        extra = dict(golden, obs=dict(golden["obs"]), obs_order=golden["obs_order"] + ["n_umis", "passed_qc"])
        extra["obs"]["n_umis"] = {"kind": "numeric", "values": [None if v is pd.NA else float(v) for v in nullable_int]}
        extra["obs"]["passed_qc"] = {"kind": "categorical", "categories": ["False", "True"],
                                     "codes": [-1 if v is pd.NA else int(v) for v in nullable_bool]}
        with open("nullable_09.h5ad.obs.json", "w") as f:
            json.dump(extra, f, indent=1)
    with open(name + ".obs.json", "w") as f:
        json.dump(golden, f, indent=1)
    print(name, X.shape, X.dtype, list(a.obs.columns), sorted(a.obsm.keys()))
