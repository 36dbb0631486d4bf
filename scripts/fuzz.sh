#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ (or the ones named) for SECONDS each (default 60), or
# for FUZZ_RUNS executions each when that is set; prints a table row per target (executions,
# seconds, coverage edges, features, corpus size, findings). Needs `cargo +nightly` and
# `cargo fuzz` (`cargo install cargo-fuzz`). Exits non-zero when any target finds a crash,
# a timeout or an out-of-memory; the input is left in fuzz/artifacts/<target>/.
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/fuzz"
seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi
cargo +nightly fuzz build -O >/dev/null 2>&1 || cargo +nightly fuzz build -O || exit 1
limit="-max_total_time=$seconds"
if [ -n "${FUZZ_RUNS:-}" ]; then
  limit="-runs=$FUZZ_RUNS"
fi
failed=()
printf '| target | executions | seconds | coverage (edges) | features | corpus | findings |\n|---|---|---|---|---|---|---|\n'
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "seeds/$target" "artifacts/$target"
  log=$(mktemp)
  start=$(date +%s)
  # -timeout: an input slower than 10 s is a hang; -rss_limit_mb: more than 2 GB is a leak.
  cargo +nightly fuzz run -O "$target" "corpus/$target" "seeds/$target" -- \
    "$limit" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1
  status=$?
  elapsed=$(( $(date +%s) - start ))
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -o '[0-9]*')
  ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | grep -o '[0-9]*')
  corpus=$(find "corpus/$target" -type f | wc -l)
  if [ $status -eq 0 ]; then
    finding="none"
  else
    finding="FAILED (exit $status): $(grep -m1 -E 'ERROR: libFuzzer|panicked at|==ERROR' "$log" | cut -c1-120)"
    failed+=("$target")
    tail -40 "$log" >&2
  fi
  printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$target" "${execs:-?}" "$elapsed" "${cov:-?}" "${ft:-?}" "$corpus" "$finding"
  rm -f "$log"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzzing found problems in: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
  exit 1
fi
