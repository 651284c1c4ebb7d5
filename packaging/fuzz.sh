#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz, the `fuzz` preset: clang with AddressSanitizer and
# UBSan) and runs each for a short time on its seed corpus (issue 16). Exits non-zero when a target
# finds a crash, a sanitizer report, a timeout or a blow-up of memory; the input that did it is
# kept under build/fuzz/findings/<target>/ and named in the output.
#
#   packaging/fuzz.sh [--seconds S] [--seed N] [--no-install] [target ...]
#
#   --seconds S    how long each target runs (default 20)
#   --seed N       libFuzzer's random seed (default 1: a run repeats the same mutations, so CI
#                  explores a prefix of what a longer local run with the same seed has passed)
#   --no-install   do not call install-deps.sh --fuzz (clang, libFuzzer, libomp)
#   target         fuzz_text fuzz_binary fuzz_model fuzz_session (default: all four)
#
# The corpus of each run starts from tests/fuzz/seeds and the readers' test files under tests/data,
# each prefixed with the byte that selects its format (the targets' first byte picks one); what
# libFuzzer adds stays in a temporary folder and is thrown away, so runs are repeatable.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=20
seed=1
install=1
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --no-install) install=0; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    fuzz_text|fuzz_binary|fuzz_model|fuzz_session) targets+=("$1"); shift ;;
    *) echo "fuzz.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_text fuzz_binary fuzz_model fuzz_session)

if [ "$install" = 1 ]; then packaging/install-deps.sh --fuzz; fi
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target "${targets[@]}"

work=$(mktemp -d "${TMPDIR:-/tmp}/latentscape-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

# seed DIR BYTE FILE...: copies each FILE into DIR with BYTE (octal escape, or "" for none) first.
seed() {
  local dir="$1" byte="$2"; shift 2
  mkdir -p "$dir"
  local f
  for f in "$@"; do
    [ -f "$f" ] || continue
    { [ -z "$byte" ] || printf "$byte"; cat "$f"; } > "$dir/$(basename "$f")"
  done
}

for t in "${targets[@]}"; do
  c="$work/$t"
  mkdir -p "$c"
  case "$t" in
    fuzz_text)  # byte & 3 picks .csv .tsv .txt .dat
      seed "$c" '\000' tests/data/text/*.csv tests/data/reduce/*.csv tests/data/preprocess/*.csv
      seed "$c" '\002' tests/data/text/*.txt
      seed "$c" '\003' tests/data/text/*.dat tests/data/text/*.data
      seed "$c" '\100' tests/data/text/boston_house_prices.csv ;;  # with one row skipped
    fuzz_binary)  # byte & 3 picks .npy .npz IDX IDX.gz
      seed "$c" '\000' tests/data/npy/*.npy
      seed "$c" '\001' tests/data/npy/*.npz
      seed "$c" '\002' tests/data/npy/*-idx[13]-ubyte tests/data/npy/*-idx3
      seed "$c" '\003' tests/data/npy/*-idx[13]-ubyte.gz ;;
    fuzz_model)  # byte % 3: 0 = .lsae, 1 = .lsmap, 2 = .lsgan
      seed "$c" '\000' tests/fuzz/seeds/model/*.lsae
      seed "$c" '\002' tests/fuzz/seeds/model/*.lsgan
      seed "$c" '\001' tests/fuzz/seeds/map/* ;;
    fuzz_session)
      seed "$c" '' tests/fuzz/seeds/session/* ;;
  esac
done

status=0
summary=()
for t in "${targets[@]}"; do
  bin="build/fuzz/tests/fuzz/$t"
  findings="build/fuzz/findings/$t"
  mkdir -p "$findings"
  log="$work/$t.log"
  seeds=$(ls "$work/$t" | wc -l)
  echo "fuzz.sh: $t for ${seconds} s on $seeds seeds"
  set +e
  # One process; each input is limited to 10 s and 2 GB (a reader must refuse a huge declared size
  # before allocating it). -detect_leaks=0: Qt's and HDF5's one-time allocations are not findings.
  ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$bin" -seed="$seed" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$findings/" "$work/$t" > "$log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  corpus=$(ls "$work/$t" | wc -l)
  line="$t: ${execs:-0} executions in ${seconds} s, coverage ${cov:-0} edges, corpus $seeds -> $corpus inputs"
  if [ $rc -ne 0 ]; then
    status=1
    line="$line, FINDING (exit $rc): $(ls -t "$findings" | head -1)"
    echo "---- $t: the end of libFuzzer's output ----"
    tail -40 "$log"
  else
    line="$line, no finding"
  fi
  summary+=("$line")
done
printf 'fuzz.sh: %s\n' "${summary[@]}"
exit $status
