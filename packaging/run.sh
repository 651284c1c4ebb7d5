#!/usr/bin/env bash
# Sets up everything from Debian's packages, builds the app in Release and launches it on its
# default dataset (Fashion-MNIST, installed by the set-up), or on the files given.
#   packaging/run.sh [FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target latentscape latentscape-cli
exec build/release/app/latentscape "$@"
