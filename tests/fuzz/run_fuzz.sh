#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time on a fresh corpus seeded from tests/data.
# usage: run_fuzz.sh FUZZER SEED_DIR... ; exits non-zero and names the input on any crash.
set -u
fuzzer=$1; shift
work=$(mktemp -d "${TMPDIR:-/tmp}/dialtone-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/artifacts"
n=0
for dir in "$@"; do
  [ -d "$dir" ] || continue
  while IFS= read -r -d '' f; do
    cp "$f" "$work/corpus/seed-$n"; n=$((n + 1))
  done < <(find "$dir" -type f ! -name '*.md' -print0)
done
echo "$(basename "$fuzzer"): $n seeds"
dict=()
[ -f "$(dirname "$0")/sip.dict" ] && dict=(-dict="$(dirname "$0")/sip.dict")
"$fuzzer" "$work/corpus" "${dict[@]}" -max_total_time="${FUZZ_SECONDS:-45}" -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$work/artifacts/" -print_final_stats=1 2>&1 | tail -n 40
rc=${PIPESTATUS[0]}
found=$(find "$work/artifacts" -type f | head -n 5)
if [ "$rc" -ne 0 ] || [ -n "$found" ]; then
  keep=$(mktemp -d "${TMPDIR:-/tmp}/dialtone-fuzz-crash.XXXXXX")
  for f in $found; do cp "$f" "$keep/"; done
  echo "$(basename "$fuzzer"): failed (exit $rc); inputs kept in $keep:"
  ls -1 "$keep"
  exit 1
fi
echo "$(basename "$fuzzer"): no crash"
