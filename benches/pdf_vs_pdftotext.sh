#!/usr/bin/env bash
# Times lawdex's PDF text extraction against poppler's pdftotext on the same files, in the
# same run: every real PDF of the shared corpus, RUNS times each (default 20).
#
#   apt-get update && apt-get install -y poppler-utils   # for pdftotext
#   benches/pdf_vs_pdftotext.sh
#
# Three ways are timed, all writing their text to /dev/null:
#   lawdex-per-file  one process per file, like pdftotext (process start included)
#   lawdex-batch     one process for all files (parse cost alone, amortised start)
#   pdftotext        poppler, one process per file, default and -raw modes
set -euo pipefail
cd "$(dirname "$0")/.."
shared=${LAWDEX_SHARED:-../shared}
runs=${RUNS:-20}
files=("$shared"/corpus/pdf/*.pdf "$shared"/corpus/real/cn/national/*.pdf)
command -v pdftotext >/dev/null || { echo "pdftotext not found (apt-get install poppler-utils)" >&2; exit 2; }
cargo build --quiet --release --example pdf_extract
bin=target/release/examples/pdf_extract
bytes=$(cat "${files[@]}" | wc -c)

echo "machine: $(nproc) cores,$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
echo "pdftotext: $(pdftotext -v 2>&1 | head -1)"
echo "files: ${#files[@]} PDFs, $bytes bytes; runs: $runs"

# Warm the page cache and check every file parses.
"$bin" "${files[@]}" >/dev/null
for f in "${files[@]}"; do pdftotext "$f" /dev/null; done

# Wall time is what a user waits; CPU time (user + sys, children included) is steadier on a
# shared machine, so both are printed.
measure() { # name, then a command run once per round
    local name=$1; shift
    local t real cpu
    TIMEFORMAT='%R %U %S'
    t=$( { time { for ((i = 0; i < runs; i++)); do "$@"; done; } ; } 2>&1 )
    read -r real user sys <<<"$t"
    awk -v n="$name" -v real="$real" -v user="$user" -v sys="$sys" -v b="$bytes" -v r="$runs" \
        'BEGIN { cpu = user + sys; printf "%-16s wall %7.3f s  %7.1f ms/round  %6.2f MB/s | cpu %7.3f s  %6.2f MB/s\n", n, real, real * 1000 / r, b * r / real / 1e6, cpu, b * r / cpu / 1e6 }'
}

per_file_lawdex() { for f in "${files[@]}"; do "$bin" "$f" >/dev/null; done; }
batch_lawdex() { "$bin" "${files[@]}" >/dev/null; }
per_file_pdftotext() { for f in "${files[@]}"; do pdftotext -enc UTF-8 "$f" /dev/null; done; }
per_file_pdftotext_raw() { for f in "${files[@]}"; do pdftotext -enc UTF-8 -raw "$f" /dev/null; done; }

measure lawdex-per-file per_file_lawdex
measure lawdex-batch batch_lawdex
measure pdftotext per_file_pdftotext
measure pdftotext-raw per_file_pdftotext_raw
