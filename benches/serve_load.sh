#!/usr/bin/env bash
# Load on `lawdex serve` (issue 10): wrk from 127.0.0.1, 32 connections for 30 s of mixed search
# queries (../shared/peers/bulk-queries.txt, cycled by benches/serve_load.lua) against an index
# of the bulk corpus. Target: no errors, p99 under 50 ms on the 2-core project machine.
#
#   benches/serve_load.sh                 # the load alone
#   benches/serve_load.sh --during-update # the same while `lawdex index` commits into the
#                                         # same data directory every few seconds
#
# Environment: LAWDEX_SHARED (../shared), LAWDEX_BIN (target/release/lawdex), WORK
# (target/bench-serve: the unpacked corpus and its index, kept between runs), DURATION (30s),
# CONNECTIONS (32), THREADS (2), INDEX_NICE (0: the niceness `--during-update` runs the
# indexer at, e.g. 19 to measure an indexer that yields the CPU to the server).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${LAWDEX_SHARED:-../shared}
BIN=${LAWDEX_BIN:-target/release/lawdex}
WORK=${WORK:-target/bench-serve}
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
QUERIES="$SHARED/peers/bulk-queries.txt"
during_update=false
[ "${1:-}" = "--during-update" ] && during_update=true

command -v wrk >/dev/null || { echo "serve_load: wrk not found (apt-get install wrk)" >&2; exit 1; }
[ -x "$BIN" ] || cargo build --release

if [ ! -f "$WORK/data/index/meta.json" ]; then
  rm -rf "$WORK"
  mkdir -p "$WORK/corpus"
  tar --zstd -xf "$SHARED/corpus/bulk/lawrefbook-laws-2f4c5c2.tar.zst" -C "$WORK/corpus"
  "$BIN" index --data-dir "$WORK/data" "$WORK/corpus" 2>&1 | tail -1
fi

"$BIN" serve --data-dir "$WORK/data" --bind 127.0.0.1:0 > "$WORK/serve.out" &
SERVER=$!
UPDATER=
files=()
cleanup() {
  [ -n "$UPDATER" ] && kill "$UPDATER" 2>/dev/null || true
  kill "$SERVER" 2>/dev/null || true
  # The edited laws as they were (the index catches up on the next run).
  for n in "${!files[@]}"; do cp "$WORK/orig/$n" "${files[$n]}" 2>/dev/null || true; done
}
trap cleanup EXIT
URL=
for _ in $(seq 100); do
  URL=$(grep -o 'http://[^ ]*' "$WORK/serve.out" | head -1 || true)
  [ -n "$URL" ] && break
  sleep 0.1
done
[ -n "$URL" ] || { echo "serve_load: the server did not start" >&2; exit 1; }
URL=${URL%/}

# Every query must answer 200 before the run: a 400 would count as an error under load.
while IFS= read -r q; do
  case "$q" in ''|'#'*) continue ;; esac
  code=$(curl -s -o /dev/null -w '%{http_code}' -G --data-urlencode "q=$q" "$URL/api/search")
  [ "$code" = 200 ] || { echo "serve_load: $q answered $code" >&2; exit 1; }
done < "$QUERIES"

if $during_update; then
  # A few laws edited and re-indexed (replaced by id) in a loop: each run changes their bytes
  # (`index` skips unchanged files), so each is a commit the server picks up. The edits
  # alternate: the law as it was, then with a last line added; the loop puts them back.
  mapfile -t files < <(find "$WORK/corpus" -name '*.md' | sort | head -5)
  # The originals wait outside the corpus and go back when the script ends (see cleanup).
  mkdir -p "$WORK/orig"
  for n in "${!files[@]}"; do cp "${files[$n]}" "$WORK/orig/$n"; done
  (
    i=0
    while true; do
      i=$((i + 1))
      for n in "${!files[@]}"; do
        cp "$WORK/orig/$n" "${files[$n]}"
        [ $((i % 2)) = 1 ] && printf '\n（本文第 %s 次修改。）\n' "$i" >> "${files[$n]}"
      done
      nice -n "${INDEX_NICE:-0}" "$BIN" index --data-dir "$WORK/data" "${files[@]}" \
        > /dev/null 2>&1 || true
      sleep 3
    done
  ) &
  UPDATER=$!
fi

echo "lawdex serve load: $CONNECTIONS connections, $THREADS wrk threads, $DURATION, $URL$($during_update && echo ', lawdex index committing every ~3 s')"
# The server's CPU time (user + system, clock ticks) per request: unlike throughput, it hardly
# depends on what else the shared machine runs.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
ticks_before=$(cpu_ticks)
touch "$WORK/run.start"
QUERIES="$QUERIES" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s \
  -s benches/serve_load.lua "$URL" | tee "$WORK/wrk.out"
ticks_after=$(cpu_ticks)
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
requests=$(awk '/^requests:/ {print $2}' "$WORK/wrk.out")
awk -v t=$((ticks_after - ticks_before)) -v hz="$(getconf CLK_TCK)" -v n="$requests" \
  'BEGIN { if (n > 0) printf "server CPU: %.1f s, %.3f ms per request\n", t / hz, 1000 * t / hz / n }'
if $during_update; then
  # Each index run that changed something writes a report naming what it indexed.
  commits=$(find "$WORK/data/reports" -name '*-index.json' -newer "$WORK/run.start" \
    -exec grep -l '"changed": [1-9]' {} + 2>/dev/null | wc -l)
  echo "commits during the run: $commits; the server last opened $(curl -s "$URL/api/health")"
fi
