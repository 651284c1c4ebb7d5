#!/usr/bin/env bash
# Runs an installed Latentscape as a user would, from PREFIX (default /usr): the versions, a
# dataset, a t-SNE with metrics, and a figure of a session drawn without a display. Used on the
# staged install (tests/install) and on the installed .deb (packaging/deb-test.sh).
#   packaging/smoke-test.sh [PREFIX]
set -euo pipefail
prefix=${1:-/usr}
cli=$prefix/bin/latentscape-cli
work=$(mktemp -d)
[ -n "${SMOKE_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
fail() { echo "smoke-test: FAIL: $*" >&2; exit 1; }

"$cli" --version
QT_QPA_PLATFORM=offscreen "$prefix/bin/latentscape" --version
"$cli" generate blobs --n 600 --d 10 --k 4 --out "$work/blobs.csv" > /dev/null
"$cli" reduce "$work/blobs.csv" --method tsne --iterations 300 --metrics 10 --out "$work/tsne.npy" --json > "$work/tsne.json"
grep -q '"trustworthiness"' "$work/tsne.json" || fail "reduce printed no metrics: $(cat "$work/tsne.json")"

# A session as the app saves it (format 2): the dataset with its SHA-256, the t-SNE run, the view.
sha=$(sha256sum "$work/blobs.csv" | cut -d' ' -f1)
cat > "$work/figure.latentscape" <<JSON
{"format": "latentscape-session", "version": 2,
 "dataset": {"path": "$work/blobs.csv", "sha256": "$sha", "rows": 600, "features": 10},
 "runs": [{"name": "t-SNE", "method": "t-SNE", "spec": {}, "state": "done", "dims": 2, "iterations": 300,
           "seconds": 0, "metrics": {}, "embedding": "tsne.npy", "embedding_sha256": "$(sha256sum "$work/tsne.npy" | cut -d' ' -f1)"}],
 "current_run": 0, "columns": [], "selection": [],
 "view": {"plot": "embedding", "x_feature": 0, "y_feature": 1, "colour_column": "blob", "colour_feature": -1,
          "colour_map": "viridis", "hidden": [], "dimming": 0.5, "dark": false, "point_size": 4, "opacity": 1.0,
          "perspective": false, "size": [400, 300],
          "camera": {"position": [0, 0, 500], "focal_point": [0, 0, 0], "view_up": [0, 1, 0], "parallel_scale": 12,
                     "view_angle": 30, "parallel": true, "clipping_range": [1, 1000]}}}
JSON
"$cli" render "$work/figure.latentscape" --out "$work/figure.png" --json > "$work/render.json" \
  || fail "render: $(cat "$work/render.json")"
grep -q '"points":600' "$work/render.json" || fail "render drew no 600 points: $(cat "$work/render.json")"
[ "$(head -c 8 "$work/figure.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "render wrote no PNG"
# A plot of 600 points in 4 colours is not a blank image: its PNG holds far more than a header.
[ "$(stat -c %s "$work/figure.png")" -gt 5000 ] || fail "the figure is nearly empty"
echo "smoke-test: $prefix: versions, t-SNE with metrics and a rendered figure ($(stat -c %s "$work/figure.png") bytes) OK"
