#!/usr/bin/env bash
# Sets up everything from Debian's packages, builds in Release and runs the whole test suite
# (the GUI tests under Xvfb). With CI=true, warnings are errors.
#   packaging/test.sh [extra ctest arguments, e.g. -R tst_csv]
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh
preset=release
if [ "${CI:-}" = "true" ]; then preset=ci; fi
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset" "$@"
