#!/usr/bin/env bash
# Installs, from Debian 12's own packages, everything Latentscape needs to build, run and test.
# Idempotent: packages already present are left alone. Nothing is downloaded from anywhere else.
#
#   packaging/install-deps.sh            build + run + test dependencies
#   packaging/install-deps.sh --bench    also the reference implementations used by latentscape-bench
#                                        (and anndata, which made the .h5ad test files)
#   packaging/install-deps.sh --fuzz     also clang, libFuzzer and clang's OpenMP (packaging/fuzz.sh)
#
# Never install libvtk9-qt-dev: it pulls Qt 5 in (see ../shared/DESIGN.md section 5).
set -euo pipefail

want_bench=0
want_fuzz=0
for arg in "$@"; do
  case "$arg" in
    --bench) want_bench=1 ;;
    --fuzz) want_fuzz=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "install-deps.sh: unknown option '$arg'" >&2; exit 2 ;;
  esac
done

pkgs=(
  # toolchain
  g++ cmake ninja-build ccache pkg-config
  # Qt 6: Widgets, OpenGLWidgets, Concurrent, Test (qt6-base-dev), Svg
  qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev qt6-svg-dev libgl-dev
  # VTK 9.1 (core modules only are linked; GUISupportQt is never used)
  libvtk9-dev
  # numerics and small libraries
  libeigen3-dev liblapack-dev libhnswlib-dev libnanoflann-dev libfftw3-dev zlib1g-dev
  # JSON output of the command-line tools (nlohmann-json) and the bench's command line (CLI11)
  nlohmann-json3-dev libcli11-dev
  # SHA-256 of the files sessions name (OpenSSL's libcrypto)
  libssl-dev
  # AnnData (.h5ad) files: the HDF5 C library, serial build (core links it through pkg-config hdf5-serial)
  libhdf5-dev
  # headless GUI tests: Xvfb with Mesa's software GL (llvmpipe, GLX)
  xvfb xauth libgl1-mesa-dri libglx-mesa0 x11-utils fonts-dejavu-core poppler-utils
  # the default dataset
  dataset-fashion-mnist
  # an independent reader for the writer tests (numpy loads what we write); the Python module
  python3-numpy
  # installing (issue 19): the validators of the desktop entry, AppStream metainfo, MIME types and
  # man pages; dpkg-shlibdeps for CPack's .deb; Dask for the sharded transform (packaging/dask-transform.py)
  desktop-file-utils appstream shared-mime-info man-db groff-base dpkg-dev python3-dask python3-distributed
)
if [ "$want_bench" = 1 ]; then
  # references measured side by side by latentscape-bench (run with /usr/bin/python3)
  pkgs+=(python3-pandas python3-sklearn python3-torch python3-matplotlib umap-learn libopenblas0-pthread)
  # anndata, to regenerate tests/data/h5ad (the tests read the committed files, not Python)
  pkgs+=(python3-anndata)
fi

if [ "$want_fuzz" = 1 ]; then
  # the libFuzzer targets (tests/fuzz): clang 14 with its fuzzer/sanitizer runtimes and libomp
  pkgs+=(clang libclang-rt-14-dev libomp-dev)
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps.sh: all ${#pkgs[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
echo "install-deps.sh: installing ${missing[*]}"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps.sh: done"
