#!/usr/bin/env bash
# tst_install: a staged 'cmake --install' of the build holds what a Debian desktop application
# installs (issue 19), each file valid by its own standard's tool:
#   desktop entry (desktop-file-validate), AppStream metainfo (appstreamcli validate --strict),
#   MIME types (update-mime-database builds a database that maps each extension), icons (SVG and
#   PNGs of the sizes the theme wants), man pages (groff without warnings, every command of
#   latentscape-cli --help documented), the Python module, and the installed programs run.
#   tests/install/tst_install.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
source=$2
id=io.github.latentscape.Latentscape
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$stage/usr" > "$stage/install.log" || { cat "$stage/install.log"; fail "cmake --install"; }
usr=$stage/usr

for f in bin/latentscape bin/latentscape-cli bin/latentscape-bench \
         share/applications/$id.desktop share/metainfo/$id.metainfo.xml share/mime/packages/$id.xml \
         share/icons/hicolor/scalable/apps/$id.svg share/man/man1/latentscape.1.gz share/man/man1/latentscape-cli.1.gz \
         lib/python3/dist-packages/latentscape/__init__.py share/latentscape/examples/dask-transform.py; do
  [ -s "$usr/$f" ] || fail "$f is not installed"
done
for size in 16 24 32 48 64 128 256 512; do
  png=$usr/share/icons/hicolor/${size}x${size}/apps/$id.png
  [ -s "$png" ] || fail "no ${size}x${size} icon"
  # PNG signature, then the IHDR width and height (big-endian) at bytes 16..23.
  [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "$png is not a PNG"
  wh=$(od -An -tu1 -j16 -N8 "$png" | tr -s ' ' | sed 's/^ //')
  read -r w1 w2 w3 w4 h1 h2 h3 h4 <<< "$wh"
  [ $(( (w1<<24)|(w2<<16)|(w3<<8)|w4 )) -eq "$size" ] && [ $(( (h1<<24)|(h2<<16)|(h3<<8)|h4 )) -eq "$size" ] \
    || fail "$png is not ${size}x${size}"
done
# Nothing of the test suites or of the build tools is installed.
stray=$(find "$usr" -name 'tst_*' -o -name 'latentscape-icons')
[ -z "$stray" ] || fail "test or build-tool files are installed: $stray"

desktop-file-validate "$usr/share/applications/$id.desktop" || fail "desktop-file-validate"
grep -q "^Icon=$id$" "$usr/share/applications/$id.desktop" || fail "the desktop entry's Icon is not $id"
appstreamcli validate --no-net --strict "$usr/share/metainfo/$id.metainfo.xml" || fail "appstreamcli validate"
version=$("$usr/bin/latentscape-cli" --version)
[[ "$version" =~ ^latentscape-cli\ ([0-9]+\.[0-9]+\.[0-9]+)$ ]] || fail "latentscape-cli --version printed '$version'"
grep -q "<release version=\"${BASH_REMATCH[1]}\"" "$usr/share/metainfo/$id.metainfo.xml" || fail "metainfo lacks release ${BASH_REMATCH[1]}"
# --labels without a FILE to label: a usage error, not a window on the default dataset.
set +e
usage=$(QT_QPA_PLATFORM=offscreen "$usr/bin/latentscape" --labels "$stage/nothing.npy" 2>&1)
rc=$?
set -e
[ "$rc" -eq 2 ] && [[ "$usage" == *"--labels needs a FILE whose rows they label"* ]] || fail "latentscape --labels alone: rc $rc, '$usage'"
gui_version=$(QT_QPA_PLATFORM=offscreen "$usr/bin/latentscape" --version)
[ "$gui_version" = "Latentscape ${BASH_REMATCH[1]}" ] || fail "latentscape --version printed '$gui_version'"

# MIME: the package's types and Debian's own build one database; every type the desktop entry
# opens is in it, and each extension maps to its type.
mkdir -p "$stage/mime/packages"
cp /usr/share/mime/packages/freedesktop.org.xml "$usr/share/mime/packages/$id.xml" "$stage/mime/packages/"
update-mime-database "$stage/mime" 2> "$stage/mime.log" || { cat "$stage/mime.log"; fail "update-mime-database"; }
if grep -q -i "error\|warning" "$stage/mime.log"; then cat "$stage/mime.log"; fail "update-mime-database complained"; fi
types=$(sed -n 's/^MimeType=//p' "$usr/share/applications/$id.desktop" | tr ';' '\n' | sed '/^$/d')
for t in $types; do grep -q "^$t$" "$stage/mime/types" || fail "the desktop entry opens $t, which no MIME database defines"; done
for pair in latentscape:application/x-latentscape-session npy:application/x-npy npz:application/x-npz \
            h5ad:application/x-anndata csv:text/csv; do
  grep -q ":${pair#*:}:\*\.${pair%%:*}$" "$stage/mime/globs2" || fail "*.${pair%%:*} does not map to ${pair#*:}"
done
grep -q "application/x-npy" "$stage/mime/magic" || fail "no magic for .npy content"
cmp -s "$usr/share/applications/$id.desktop" "$source/resources/$id.desktop" || fail "installed desktop entry differs"

# Man pages: no groff warnings; latentscape-cli(1) has a section for every command of --help.
for page in latentscape latentscape-cli; do
  zcat "$usr/share/man/man1/$page.1.gz" > "$stage/$page.1" || fail "$page.1.gz is not gzip"
  out=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$stage/$page.1" 2>&1) || fail "groff $page.1"
  [ -z "$out" ] || { echo "$out"; fail "groff warns about $page.1"; }
done
commands=$("$usr/bin/latentscape-cli" --help | sed -n '/^commands:/,/^$/p' | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p')
[ "$(echo "$commands" | wc -l)" -ge 10 ] || fail "too few commands found in --help: $commands"
for c in $commands; do grep -q "^\.SS $c$" "$stage/latentscape-cli.1" || fail "latentscape-cli.1 lacks '$c'"; done
grep -q -- '--memory-limit' "$stage/latentscape-cli.1" && fail "unescaped minus signs in latentscape-cli.1"
rendered=$(MANWIDTH=80 man -l "$usr/share/man/man1/latentscape-cli.1.gz" 2>/dev/null)
grep -q -- "--save-model PATH" <<< "$rendered" || fail "man does not show the reduce options"

# The Python module imports from the installed tree and knows the version.
py_version=$(PYTHONPATH="$usr/lib/python3/dist-packages" /usr/bin/python3 -c 'import latentscape; print(latentscape.__version__)')
[ "$py_version" = "${BASH_REMATCH[1]}" ] || fail "latentscape.__version__ is '$py_version'"

# The installed programs work on their own (no path into the build tree): a t-SNE, a figure.
"$source/packaging/smoke-test.sh" "$usr" | grep -v XDG_RUNTIME_DIR
echo "tst_install: $(find "$usr" -type f | wc -l) files installed and checked"
