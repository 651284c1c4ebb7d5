#!/usr/bin/python3
"""The README's benchmark summary, made from a `latentscape-bench all` results file.

usage: results_tables.py RESULTS.json             print the Markdown tables
       results_tables.py RESULTS.json --readme README.md
                                                  replace the text between the README's
                                                  <!-- bench-results:begin --> and
                                                  <!-- bench-results:end --> markers with them

Each benchmark's headline: what was measured, our time, the reference's time in the same run,
the ratio, and the quality figures that say whether the two did the same work. A benchmark that
is missing or failed in the file is listed as such, never silently dropped.
"""
import json
import sys

BEGIN = "<!-- bench-results:begin -->"
END = "<!-- bench-results:end -->"


def num(v, fmt="{:.3f}"):
    if v is None or (isinstance(v, (int, float)) and v < 0):
        return "n/a"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        return "{:,}".format(v)
    return fmt.format(v)


def secs(v):
    return "n/a" if v is None or v < 0 else ("{:.3f} s".format(v) if v < 10 else "{:.1f} s".format(v))


def ratio(v):
    return "n/a" if v is None or v <= 0 else "**{:.1f}x**".format(v)


def rows_for(name, b):
    """(case, latentscape, reference, ratio, quality) rows of one benchmark's JSON object."""
    g = b.get
    if name == "load":
        c, n = g("csv", {}), g("npy", {})
        return [
            ("CSV {} MB ({:,} x {})".format(num(c.get("megabytes"), "{:.0f}"), c.get("rows", 0), c.get("features", 0)),
             secs(c.get("latentscape_s")), secs(c.get("pandas_s")) + " pandas.read_csv", ratio(c.get("speedup")), ""),
            ("NPY {} MB (memory-mapped)".format(num(n.get("megabytes"), "{:.0f}")), secs(n.get("latentscape_s")),
             secs(n.get("numpy_s")) + " numpy.load",
             ratio(n["numpy_s"] / n["latentscape_s"]) if n.get("numpy_s", -1) > 0 and n.get("latentscape_s") else "n/a", ""),
        ] + ([("NPY {} MB (read into memory)".format(num(n.get("megabytes"), "{:.0f}")), secs(n.get("latentscape_read_s")),
               secs(n.get("numpy_s")) + " numpy.load",
               ratio(n["numpy_s"] / n["latentscape_read_s"]) if n.get("numpy_s", -1) > 0 and n.get("latentscape_read_s")
               else "n/a", "")] if "latentscape_read_s" in n else [])
    if name == "pca":
        return [
            ("PCA {:,} x {} -> {}: the fit".format(g("n", 0), g("d", 0), g("components", 0)), secs(g("latentscape_auto_s")),
             secs(g("sklearn_randomized_s")) + " scikit-learn", ratio(g("speedup_vs_sklearn")),
             "explained {} vs {}".format(num(g("latentscape_auto_explained"), "{:.4f}"),
                                         num(g("sklearn_randomized_explained"), "{:.4f}"))),
            ("PCA, fresh process .npy -> scores", secs(g("cli_process_s")), secs(g("sklearn_process_s")) + " scikit-learn",
             ratio(g("process_speedup_vs_sklearn")), "BLAS: " + str(g("reference_blas", "?"))),
        ]
    if name == "kmeans":
        ls, sk = g("latentscape", {}), g("sklearn", {})
        return [("k-means k={} on {:,} x {}".format(g("k", 0), g("n", 0), g("d", 0)), secs(ls.get("seconds")),
                 secs(sk.get("seconds")) + " scikit-learn", ratio(g("speedup")),
                 "inertia ratio {}".format(num(g("inertia_ratio"), "{:.4f}")))]
    if name == "dbscan":
        return [("DBSCAN {:,} x {}".format(g("n", 0), g("d", 0)), secs(g("latentscape_s")),
                 secs(g("sklearn_s")) + " scikit-learn", ratio(g("speedup")),
                 "ARI {}, same noise: {}".format(num(g("adjusted_rand_clustered"), "{:.3f}"), num(g("same_noise"))))]
    if name == "metrics":
        return [("metric: " + r.get("name", "?"), secs(r.get("seconds")), "", "", "value " + num(r.get("value"), "{:.4f}"))
                for r in g("results", [])]
    if name == "tsne":
        ls, sk = g("latentscape", {}), g("sklearn", {})
        return [("t-SNE {:,} x {} -> {}, {} iterations".format(g("n", 0), g("d", 0), g("dims", 0), g("iterations", 0)),
                 secs(ls.get("seconds")), secs(sk.get("seconds")) + " scikit-learn", ratio(g("speedup")),
                 "KL {} vs {}, trust. {} vs {}".format(num(ls.get("kl_exact"), "{:.3f}"), num(sk.get("kl_exact"), "{:.3f}"),
                                                      num(ls.get("trustworthiness"), "{:.3f}"),
                                                      num(sk.get("trustworthiness"), "{:.3f}")))]
    if name == "umap":
        ls, ul = g("latentscape", {}), g("umap_learn", {})
        return [("UMAP {:,} x {} -> {}, {} epochs".format(g("n", 0), g("d", 0), g("dims", 0), g("epochs", 0)),
                 secs(ls.get("seconds")), secs(ul.get("seconds")) + " umap-learn", ratio(g("speedup")),
                 "10-NN acc. {} vs {}".format(num(ls.get("knn_accuracy"), "{:.3f}"), num(ul.get("knn_accuracy"), "{:.3f}")))]
    if name == "transform":
        ls, ul = g("latentscape", {}), g("umap_learn", {})
        return [
            ("UMAP fit on {:,} rows".format(g("train", 0)), secs(ls.get("fit_seconds")),
             secs(ul.get("fit_seconds")) + " umap-learn",
             ratio(ul["fit_seconds"] / ls["fit_seconds"]) if ul.get("fit_seconds") and ls.get("fit_seconds") else "n/a", ""),
            ("UMAP transform of {:,} new rows".format(g("test", 0)), secs(ls.get("place_seconds")),
             secs(ul.get("place_seconds")) + " umap-learn",
             ratio(ul["place_seconds"] / ls["place_seconds"]) if ul.get("place_seconds") and ls.get("place_seconds") else "n/a",
             "placed 10-NN acc. {} vs {}".format(num(ls.get("placed_knn_accuracy"), "{:.3f}"),
                                                 num(ul.get("placed_knn_accuracy"), "{:.3f}"))),
        ]
    if name == "autoencoder":
        ls, pt = g("latentscape", {}), g("pytorch", {})
        return [("autoencoder {} epochs, {:,} rows".format(g("epochs", 0), g("train_rows", 0)),
                 num(ls.get("samples_per_second"), "{:,.0f}") + " samples/s",
                 num(pt.get("samples_per_second"), "{:,.0f}") + " samples/s PyTorch", ratio(g("speed_ratio")),
                 "test MSE {} vs {}".format(num(ls.get("test_mse"), "{:.4f}"), num(pt.get("test_mse"), "{:.4f}")))]
    if name == "gan":
        def mean(side, key):
            runs = [r.get("run", r) for r in g(side, []) if isinstance(r, dict)]
            vals = [r[key] for r in runs if isinstance(r.get(key), (int, float))]
            return sum(vals) / len(vals) if vals else None
        return [("GAN {} epochs, {:,} rows, {} seed(s)".format(g("epochs", 0), g("train_rows", 0), g("seeds", 0)),
                 num(mean("latentscape", "samples_per_second"), "{:,.0f}") + " samples/s",
                 num(mean("pytorch", "samples_per_second"), "{:,.0f}") + " samples/s PyTorch", ratio(g("throughput_ratio")),
                 "precision {} vs {}".format(num(mean("latentscape", "precision"), "{:.3f}"),
                                             num(mean("pytorch", "precision"), "{:.3f}")))]
    if name == "lasso":
        return [("lasso, {:,} points".format(g("n", 0)), secs(g("latentscape_2d_s")),
                 secs(g("matplotlib_s")) + " matplotlib", ratio(g("speedup_2d")),
                 "same selection: {}".format(num(g("selected_2d") == g("matplotlib_selected"))))]
    if name == "render":
        return [("render {:,} points, {}".format(c.get("points", 0), "moving, level of detail" if c.get("moving_point_limit")
                                                  else "every point drawn"),
                 num(c.get("fps"), "{:.1f}") + " frames/s", "", "", "{:,} drawn".format(c.get("drawn", 0)))
                for c in g("cases", [])]
    if name == "link":
        rows = []
        for c in g("cases", []):
            ops = c.get("operations", [])
            drawing = str(c.get("drawing", "")).split(";")[0]
            rows.append(("4 linked views, {:,} points, {} ({} operations)".format(
                             c.get("points", 0), drawing, len(ops) if isinstance(ops, list) else ops),
                         "longest GUI stall {:.0f} ms".format(c.get("max_heartbeat_gap_ms", -1)), "", "",
                         "limit {:.0f} ms".format(g("stall_limit_ms", 0))))
        return rows
    return [(name, "see the JSON", "", "", "")]


def tables(results):
    m = results.get("machine", {})
    out = ["Made by `app/bench/results_tables.py` from `latentscape-bench all --repeat {}` run on {}: {}, "
           "{} threads{}. Each benchmark ran in a fresh process; the reference ran in the same run on the same "
           "data.".format(results.get("repeat", "?"), results.get("date", "?"), m.get("cpu", "?"), m.get("threads", "?"),
                          ", AVX-512" if m.get("avx512") else ""),
           "",
           "| case | Latentscape | reference | ratio | quality |",
           "|---|---|---|---|---|"]
    for name, b in results.get("benchmarks", {}).items():
        if not isinstance(b, dict) or "error" in b:
            out.append("| {} | failed: {} | | | |".format(name, (b or {}).get("error", "no result")))
            continue
        for row in rows_for(name, b):
            out.append("| " + " | ".join(row) + " |")
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) not in (2, 4) or (len(sys.argv) == 4 and sys.argv[2] != "--readme"):
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        text = tables(json.load(f))
    if len(sys.argv) == 2:
        sys.stdout.write(text)
        return
    path = sys.argv[3]
    with open(path) as f:
        readme = f.read()
    if BEGIN not in readme or END not in readme:
        sys.exit("{}: no {} ... {} markers".format(path, BEGIN, END))
    head, rest = readme.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    with open(path + ".tmp", "w") as f:
        f.write(head + BEGIN + "\n" + text + END + tail)
    import os
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
