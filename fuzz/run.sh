#!/usr/bin/env bash
# Runs the cargo-fuzz targets one after another, one job each, for SECONDS each:
#
#   fuzz/run.sh SECONDS [TARGET...]      (all targets when none is named)
#
# Seeds are copied at run time from the shared test data ($LAWDEX_SHARED, else ../shared
# beside the checkout), from our own fixtures and from fuzz/seeds/ (short seeds written for the
# targets); the corpora are never committed (fuzz/.gitignore). The targets' bodies are
# fuzz/src/lib.rs, which `cargo test` also runs over these seeds (tests/it/fuzz_bodies.rs).
# A crash, a hang (over 2 s for one input) or an out-of-memory (over 2 GB) is written to
# fuzz/artifacts/TARGET/ and fuzzing of that target resumes until its SECONDS are spent.
# Prints, per target, the seconds run, libFuzzer's executions and the inputs it kept as findings.
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
set -euo pipefail

if [[ $# -lt 1 || ! $1 =~ ^[0-9]+$ ]]; then
    echo "usage: fuzz/run.sh SECONDS [TARGET...]" >&2
    exit 2
fi
seconds=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
shared=${LAWDEX_SHARED:-$root/../shared}
all=(pdf docx doc html markdown segment query json xml numerals manifest taxonomy robots)
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=("${all[@]}")
if [[ ! -d $shared/corpus ]]; then
    echo "fuzz/run.sh: $shared has no corpus/ (set LAWDEX_SHARED): no seeds to start from" >&2
    exit 2
fi

cd "$here"
cargo +nightly fuzz build -s none >&2
bin=$here/target/x86_64-unknown-linux-gnu/release

# copy_seeds TARGET FILE... : the files into corpus/TARGET, named by content hash as libFuzzer does.
copy_seeds() {
    local dir=corpus/$1
    shift
    mkdir -p "$dir"
    local f
    for f in "$@"; do
        [[ -f $f ]] && cp "$f" "$dir/$(sha1sum "$f" | cut -c1-40)"
    done
    return 0
}

# text_seeds TARGET LINE... : each line as one seed.
text_seeds() {
    local dir=corpus/$1
    shift
    mkdir -p "$dir"
    local line
    for line in "$@"; do
        printf '%s' "$line" >"$dir/$(printf '%s' "$line" | sha1sum | cut -c1-40)"
    done
}

seed() {
    local real=$shared/corpus
    case $1 in
        pdf) copy_seeds pdf $(find "$real" -name '*.pdf') ;;
        docx) copy_seeds docx $(find "$real" -name '*.docx') ;;
        doc) copy_seeds doc $(find "$real" -name '*.doc') "$root"/tests/fixtures/doc/*.doc ;;
        html) copy_seeds html $(find "$real" -name '*.htm*') "$root"/tests/fixtures/html/*.html \
            "$root"/corpus-manifest/sample/*.html ;;
        markdown | segment)
            copy_seeds "$1" $(find "$real" -name '*.md' -o -name '*.txt') \
                "$root"/corpus-manifest/sample/*.md "$root"/tests/fixtures/search/*.md \
                "$root"/tests/fixtures/serve/*.txt ;;
        json) copy_seeds json $(find "$real" -name '*.json') "$root"/corpus-manifest/sample/*.json ;;
        xml) copy_seeds xml $(find "$real" -name '*.xml') ;;
        query)
            mapfile -t queries < <(sed -n 's/^q *= *"\(.*\)"$/\1/p' "$root"/tests/fixtures/relevance*.toml)
            mapfile -t written <"$here/seeds/query.txt"
            text_seeds query "${queries[@]}" "${written[@]}" ;;
        numerals)
            mapfile -t heads <"$here/seeds/numerals.txt"
            text_seeds numerals "${heads[@]}" ;;
        manifest) copy_seeds manifest "$root"/corpus-manifest/*.toml "$root"/tests/fixtures/*/manifest.toml ;;
        taxonomy) copy_seeds taxonomy "$root"/corpus-manifest/taxonomies/*.toml ;;
        robots) copy_seeds robots "$here"/seeds/robots/* ;;
    esac
}

# Longest input per target: whole real files where they are small, a prefix of the big ones
# (the seeds' tails are mostly repetition), so runs stay fast enough to explore.
max_len() {
    case $1 in
        pdf) echo 262144 ;;
        docx | doc | html | markdown | segment | xml) echo 65536 ;;
        *) echo 8192 ;;
    esac
}

summary=()
for t in "${targets[@]}"; do
    seed "$t"
    mkdir -p "artifacts/$t" logs
    ls "artifacts/$t" | sort >"logs/$t.before"
    started=$(date +%s)
    execs=0
    runs=0
    extra=""
    while :; do
        left=$((seconds - ($(date +%s) - started)))
        ((left > 0 && runs < 50)) || break
        runs=$((runs + 1))
        log=logs/$t-$runs.log
        status=0
        "$bin/$t" "corpus/$t" -max_total_time="$left" -timeout=2 -rss_limit_mb=2048 \
            -max_len="$(max_len "$t")" -print_final_stats=1 -artifact_prefix="artifacts/$t/" \
            >"$log" 2>&1 || status=$?
        # A stack overflow kills the process before libFuzzer can save the input or report:
        # the log just stops. Count it, and keep the log's last lines as the clue.
        if ((status > 128)) && ! grep -q -E '^#[0-9]+.*DONE|ERROR: libFuzzer' "$log"; then
            echo "died of signal $((status - 128)) without a report, see $log" >"artifacts/$t/died-$runs-$(date +%s)"
            extra="died-without-report "
            continue
        fi
        n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
        # Without final stats (a crash before the first report), the last status line's count.
        [[ -n $n ]] || n=$(sed -n 's/^#\([0-9]*\).*/\1/p' "$log" | tail -1)
        execs=$((execs + ${n:-0}))
        # A run that ends early without a finding cannot make progress by restarting.
        if ! grep -q -E '^(==[0-9]+== ERROR|SUMMARY): libFuzzer|deadly signal|panicked at' "$log"; then
            break
        fi
    done
    took=$(($(date +%s) - started))
    found=$(ls "artifacts/$t" | sort | comm -13 "logs/$t.before" - | tr '\n' ' ')
    line="$t: ${took}s, $execs executions, $runs run(s), findings: ${found:-none}"
    [[ -n $extra ]] && line="$line ($extra)"
    echo "$line"
    summary+=("$line")
done
echo "--- $(date -u +%FT%TZ) fuzz/run.sh $seconds ${targets[*]}"
printf '%s\n' "${summary[@]}"
