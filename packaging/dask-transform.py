#!/usr/bin/python3
"""Out-of-sample transform of a sharded dataset on a Dask cluster, one latentscape-cli per shard.

Each partition (a .npy shard of new rows) is placed on a saved map by its own
`latentscape-cli transform SHARD --model MAP --out OUT/part-NNNNN.npy`, run by a Dask worker; the
outputs are .npy shards plus a manifest.json that the app (File > Open Folder) and latentscape-cli
read as one dataset. A row's placement depends on the row and the map only, so the shards equal a
single-process transform of all the rows bit for bit; --check verifies it.

  Demo on a local cluster (4 workers, 10 shards; makes its own data and UMAP map):
    /usr/bin/python3 packaging/dask-transform.py --work /tmp/dask-demo
  Your data: a folder (or manifest) of .npy shards and a map from
  'latentscape-cli reduce --method umap|tsne|pca --save-model MAP':
    /usr/bin/python3 packaging/dask-transform.py --input shards/ --model MAP --out placed/
  An existing cluster instead of a local one: --scheduler tcp://host:8786 (each worker needs
  latentscape-cli and the files, e.g. on a shared file system).

Needs Debian's python3-dask, python3-distributed and python3-numpy. Exit status 0 when done (and,
with --check, identical), 1 when the check fails, 2 on bad usage or a failed shard.
"""

import argparse
import functools
import json
import re
import os
import shutil
import subprocess
import sys
import tempfile
import time


def natural_less(a, b):
    """The order latentscape reads a shards folder in (core/data/shards_reader.cpp, natural_less):
    runs of digits compare by value (leading zeros aside), everything else character by character."""
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i].isdigit() and b[j].isdigit() and a[i].isascii() and b[j].isascii():
            ie, je = i, j
            while ie < len(a) and a[ie].isascii() and a[ie].isdigit():
                ie += 1
            while je < len(b) and b[je].isascii() and b[je].isdigit():
                je += 1
            da, db = a[i:ie].lstrip("0") or "0", b[j:je].lstrip("0") or "0"
            if len(da) != len(db):
                return len(da) < len(db)
            if da != db:
                return da < db
            i, j = ie, je
        else:
            if a[i] != b[j]:
                return a[i].encode() < b[j].encode()
            i, j = i + 1, j + 1
    if len(a) - i != len(b) - j:
        return len(a) - i < len(b) - j
    return a.encode() < b.encode()


def natural_key(name):
    return functools.cmp_to_key(lambda x, y: -1 if natural_less(x, y) else (1 if natural_less(y, x) else 0))(name)


def list_shards(path):
    """[(features, labels or None)] of a shards folder or manifest, as latentscape reads them."""
    if not os.path.exists(path):
        sys.exit("dask-transform: %s does not exist" % path)
    if not os.path.isdir(path) and not path.lower().endswith(".json"):
        sys.exit("dask-transform: %s is neither a folder of .npy shards nor a .json manifest" % path)
    manifest = os.path.join(path, "manifest.json") if os.path.isdir(path) else path
    if os.path.isfile(manifest):
        try:
            with open(manifest, encoding="utf-8") as f:
                m = json.load(f)
        except (OSError, ValueError) as e:
            sys.exit("dask-transform: %s: not a readable JSON manifest (%s)" % (manifest, e))
        if not isinstance(m, dict) or m.get("format") != "latentscape-shards":
            sys.exit("dask-transform: %s is not a shards manifest" % manifest)
        base = os.path.dirname(manifest)
        return [(os.path.join(base, s["features"]), os.path.join(base, s["labels"]) if s.get("labels") else None)
                for s in m["shards"]]
    names = sorted((n for n in os.listdir(path) if n.lower().endswith(".npy") and not n.lower().endswith(".labels.npy")),
                   key=natural_key)
    if not names:
        sys.exit("dask-transform: %s holds no .npy shards" % path)
    out = []
    for n in names:
        labels = os.path.join(path, n[:-4] + ".labels.npy")
        out.append((os.path.join(path, n), labels if os.path.isfile(labels) else None))
    return out


def remove_earlier_run(out):
    """The files an earlier run of this script wrote to `out`, as its manifest names them (so
    that the new manifest's folder holds no stale parts); nothing else is touched."""
    manifest = os.path.join(out, "manifest.json")
    try:
        with open(manifest, encoding="utf-8") as f:
            m = json.load(f)
    except (OSError, ValueError):
        return
    if not isinstance(m, dict) or m.get("format") != "latentscape-shards":
        return
    for s in m.get("shards", []):
        for key in ("features", "labels"):
            name = s.get(key) if isinstance(s, dict) else None
            if isinstance(name, str) and re.fullmatch(r"part-\d{5}(\.labels)?\.npy", name):
                try:
                    os.remove(os.path.join(out, name))
                except FileNotFoundError:
                    pass
    os.remove(manifest)


def write_json_atomically(path, obj):
    partial = path + ".partial"
    with open(partial, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")
    os.replace(partial, path)


def run(command):
    r = subprocess.run(command, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("%s failed (%d): %s" % (" ".join(command), r.returncode, r.stderr.strip()))
    return r.stdout


def transform_shard(cli, model, features, out, threads):
    """One partition, on a worker: latentscape-cli transform, its JSON summary returned."""
    summary = json.loads(run([cli, "transform", features, "--model", model, "--out", out,
                              "--threads", str(threads), "--json"]))
    summary["worker_pid"] = os.getpid()
    return summary


def make_demo(cli, work, rows, shards, method):
    """Blobs: a third of the rows fit a map, the rest are new rows split into shards."""
    import numpy
    data = os.path.join(work, "blobs.npz")
    run([cli, "generate", "blobs", "--n", str(rows), "--d", "20", "--k", "6", "--seed", "7", "--out", data])
    with numpy.load(data) as z:
        X, y = z["X"], z["labels"]
    order = numpy.random.default_rng(7).permutation(rows)  # the blobs come one after another
    X, y = X[order], y[order]
    fit = rows // 3
    numpy.save(os.path.join(work, "fit.npy"), X[:fit])
    model = os.path.join(work, "map." + method)
    run([cli, "reduce", os.path.join(work, "fit.npy"), "--method", method, "--save-model", model,
         "--out", os.path.join(work, "fit-2d.npy"), "--seed", "42"])
    inp = os.path.join(work, "input")
    shutil.rmtree(inp, ignore_errors=True)  # no shards of an earlier run with more of them
    os.makedirs(inp)
    new_X, new_y = X[fit:], y[fit:]
    for i, (part_X, part_y) in enumerate(zip(numpy.array_split(new_X, shards), numpy.array_split(new_y, shards))):
        numpy.save(os.path.join(inp, "part-%05d.npy" % i), numpy.ascontiguousarray(part_X))
        numpy.save(os.path.join(inp, "part-%05d.labels.npy" % i), part_y)
    return inp, model


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cli", default=shutil.which("latentscape-cli") or "latentscape-cli", help="latentscape-cli to run")
    ap.add_argument("--input", help="folder or manifest of .npy shards (default: a generated demo)")
    ap.add_argument("--model", help="the map to place the rows on (required with --input)")
    ap.add_argument("--out", help="output folder (default: WORK/placed)")
    ap.add_argument("--work", help="folder for the demo's files (default: a temporary one)")
    ap.add_argument("--rows", type=int, default=30000, help="demo: rows generated (default 30000)")
    ap.add_argument("--shards", type=int, default=10, help="demo: shards of new rows (default 10)")
    ap.add_argument("--method", default="umap", choices=["umap", "tsne", "pca"], help="demo: the map's method")
    ap.add_argument("--workers", type=int, default=4, help="local cluster: worker processes (default 4)")
    ap.add_argument("--threads", type=int, default=1, help="threads of each latentscape-cli (default 1)")
    ap.add_argument("--scheduler", help="address of an existing Dask scheduler instead of a local cluster")
    ap.add_argument("--check", dest="check", action="store_true", default=None,
                    help="also transform all rows in one process and compare bit for bit (default with the demo)")
    ap.add_argument("--no-check", dest="check", action="store_false")
    args = ap.parse_args()
    try:
        import numpy
        from dask.distributed import Client, LocalCluster
    except ImportError as e:
        sys.exit("dask-transform: %s (install python3-dask, python3-distributed and python3-numpy; run with /usr/bin/python3)" % e)
    if (args.input is None) != (args.model is None):
        ap.error("--input and --model go together")
    if args.rows < 30 or args.shards < 1 or args.workers < 1 or args.shards > args.rows - args.rows // 3:
        ap.error("--rows must be >= 30, --workers >= 1, and --shards from 1 to the new rows (two thirds of --rows)")

    work = args.work or tempfile.mkdtemp(prefix="latentscape-dask-")
    os.makedirs(work, exist_ok=True)
    if args.input:
        inp, model = args.input, args.model
    else:
        inp, model = make_demo(args.cli, work, args.rows, args.shards, args.method)
    check = (args.input is None) if args.check is None else args.check
    shards = list_shards(inp)
    # Empty shards (an empty partition of a filtered job) have nothing to place; the app skips them.
    kept = []
    for f, labels in shards:
        try:
            rows = numpy.load(f, mmap_mode="r").shape[0]
        except (OSError, ValueError) as e:
            sys.exit("dask-transform: %s: not a readable .npy shard (%s)" % (f, e))
        if rows > 0:
            kept.append((f, labels))
    if not kept:
        sys.exit("dask-transform: every shard of %s is empty" % inp)
    if len(kept) < len(shards):
        print("dask-transform: %d empty shard(s) skipped" % (len(shards) - len(kept)))
    shards = kept
    out = args.out or os.path.join(work, "placed")
    input_folder = inp if os.path.isdir(inp) else os.path.dirname(os.path.abspath(inp))
    if os.path.realpath(out) == os.path.realpath(input_folder):
        sys.exit("dask-transform: --out must not be the input folder (%s): the placed shards would replace the "
                 "shards they come from" % out)
    os.makedirs(out, exist_ok=True)
    remove_earlier_run(out)

    cluster = None
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        start = time.perf_counter()
        names = ["part-%05d.npy" % i for i in range(len(shards))]
        futures = client.map(transform_shard, [args.cli] * len(shards), [model] * len(shards),
                             [f for f, _ in shards], [os.path.join(out, n) for n in names],
                             [args.threads] * len(shards), pure=False)
        try:
            summaries = client.gather(futures)
        except RuntimeError as e:
            sys.stderr.write("dask-transform: a shard failed: %s\n" % e)
            return 2
        seconds = time.perf_counter() - start
        workers = len({s["worker_pid"] for s in summaries})
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

    # The manifest the app opens: each output shard with its input shard's labels copied beside it.
    entries = []
    for name, (_, labels), summary in zip(names, shards, summaries):
        entry = {"features": name, "rows": summary["rows"]}
        if labels:
            shutil.copyfile(labels, os.path.join(out, name[:-4] + ".labels.npy"))
            entry["labels"] = name[:-4] + ".labels.npy"
        entries.append(entry)
    write_json_atomically(os.path.join(out, "manifest.json"),
                          {"format": "latentscape-shards", "version": 1, "shards": entries})
    rows = sum(e["rows"] for e in entries)
    print("dask-transform: %d rows in %d shards placed by %d worker processes in %.2f s; wrote %s"
          % (rows, len(entries), workers, seconds, os.path.join(out, "manifest.json")))

    if not check:
        return 0
    # The same rows in one process, compared bit for bit with the shards read back as one dataset.
    whole = os.path.join(work, "all-new.npy")
    numpy.save(whole, numpy.concatenate([numpy.load(f) for f, _ in shards]))
    single = os.path.join(work, "single.npy")
    start = time.perf_counter()
    run([args.cli, "transform", whole, "--model", model, "--out", single, "--threads", str(args.threads)])
    single_seconds = time.perf_counter() - start
    a = numpy.load(single)
    b = numpy.concatenate([numpy.load(os.path.join(out, n)) for n in names])
    info = json.loads(run([args.cli, "info", out, "--json"]))
    same = a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()
    print("dask-transform: single process %.2f s; shards %s the single-process result (%s, %s); "
          "latentscape-cli info reads the folder as %d rows x %d columns"
          % (single_seconds, "equal, bit for bit," if same else "DIFFER from", a.shape, a.dtype,
             info["rows"], info["features"]))
    return 0 if same and info["rows"] == a.shape[0] else 1


if __name__ == "__main__":
    sys.exit(main())
