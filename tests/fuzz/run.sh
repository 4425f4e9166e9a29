#!/bin/sh
# Build the fuzz targets for libFuzzer (clang, AddressSanitizer and
# UndefinedBehaviorSanitizer) and run each for a while.
#
#   tests/fuzz/run.sh [options] [SECONDS [BUILDDIR]]
#
#   SECONDS   run time per target (default 60)
#   BUILDDIR  build directory (default: a new temporary one); reusing one
#             keeps the corpus grown by earlier runs (BUILDDIR/fuzz/corpus)
#   -t NAME   run only this target (parse, syslog, json, config, state);
#             repeatable
#   -s DIR    more seed logs (every *.log below DIR), e.g. shared/corpus
#   -C DIR    where crash inputs are copied (default tests/fuzz/crashes)
#   -j N      libFuzzer fork mode with N workers per target
#   -p        run the targets at the same time instead of one by one
#   -m BYTES  largest input (default 8192)
#
# Seeds: every *.log in testdata/ and tests/fuzz/seeds/ (for fuzz_parse
# once per parser, with the selector byte prepended, and again with the
# LogFormat line of a <case>.args), the saved crashes, and the -s logs.
# A crash, leak, timeout or out-of-memory input is copied to
# CRASHDIR/<target>/ and the script exits 1; 0 when every target ran its
# time clean.  Needs clang and libclang-rt-14-dev (Debian).
set -eu

src=$(cd "$(dirname "$0")/../.." && pwd)
secs=60
build=
targets=
extra_seeds=
crashdir=$src/tests/fuzz/crashes
jobs=0
parallel=0
maxlen=8192

usage() {
    sed -n '2,/^set -eu/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
    exit 2
}

while getopts t:s:C:j:pm:h opt; do
    case $opt in
    t) targets="$targets $OPTARG" ;;
    s) extra_seeds="$extra_seeds $(cd "$OPTARG" && pwd)" ;;
    C) mkdir -p "$OPTARG" && crashdir=$(cd "$OPTARG" && pwd) ;;
    j) jobs=$OPTARG ;;
    p) parallel=1 ;;
    m) maxlen=$OPTARG ;;
    *) usage ;;
    esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] && secs=$1
[ $# -ge 2 ] && build=$2
[ $# -le 2 ] || usage
[ -n "$targets" ] || targets="parse syslog json config state"
if [ -z "$build" ]; then
    build=$(mktemp -d "${TMPDIR:-/tmp}/ftpaudit-fuzz.XXXXXX")
fi
mkdir -p "$build"
build=$(cd "$build" && pwd)

command -v clang >/dev/null || {
    echo "run.sh: needs clang (apt-get install clang libclang-rt-14-dev)" >&2
    exit 2
}

# The whole tree gets coverage instrumentation (fuzzer-no-link); only the
# targets link libFuzzer itself (tests/fuzz/meson.build).  Warnings do not
# stop this build: clang warns about things gcc does not, and the point
# here is crashes.
if [ ! -f "$build/build.ninja" ]; then
    CC=clang meson setup "$build" "$src" -Dfuzzing=libfuzzer \
        -Db_sanitize=address,undefined -Db_lundef=false \
        -Dc_args=-fsanitize=fuzzer-no-link -Dbuildtype=debugoptimized \
        -Dwerror=false
fi
# Only the targets: other test programs need not build under clang.
exes=
for t in $targets; do
    exes="$exes tests/fuzz/fuzz_$t"
done
# shellcheck disable=SC2086
ninja -C "$build" $exes

# Number of parsers: one selector byte each.
nparsers=$(grep -c '^[[:space:]]*&fa_parser_' "$src/parsers/registry.c")

# The --proftpd-logformat value of a fixture's .args, if any.
logformat_of() {
    args=${1%.log}.args
    [ -f "$args" ] || return 0
    awk 'next_is { print; exit }
         $0 == "--proftpd-logformat" { next_is = 1; next }
         index($0, "--proftpd-logformat=") == 1 {
             print substr($0, 21); exit }' "$args"
}

# Seed files for target $1 from log $2 into directory $3.
make_seeds() {
    name=$(printf '%s' "$2" | cksum | cut -d' ' -f1)
    if [ "$1" != parse ]; then
        cp "$2" "$3/$name"
        return
    fi
    fmt=$(logformat_of "$2")
    i=0
    while [ "$i" -lt "$nparsers" ]; do
        # shellcheck disable=SC2059
        { printf "\\$(printf %03o "$i")"; cat "$2"; } >"$3/$name-$i"
        if [ -n "$fmt" ]; then
            # shellcheck disable=SC2059
            { printf "\\$(printf %03o $((128 + i)))"
              printf '%s\n' "$fmt"; cat "$2"; } >"$3/$name-f$i"
        fi
        i=$((i + 1))
    done
}

# UndefinedBehaviorSanitizer only prints and goes on unless told to stop:
# then libFuzzer would never save the input.
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS ASAN_OPTIONS

status=0
summary=$build/fuzz/summary.txt
mkdir -p "$build/fuzz"
: >"$summary"

run_target() {
    t=$1
    seeds=$build/fuzz/seeds/$t
    corpus=$build/fuzz/corpus/$t
    art=$build/fuzz/artifacts/$t
    log=$build/fuzz/$t.log
    # Artifacts of an earlier run in the same folder are not news.
    rm -rf "$seeds" "$art"
    mkdir -p "$seeds" "$corpus" "$art" "$crashdir/$t"
    # shellcheck disable=SC2086
    find "$src/testdata" "$src/tests/fuzz/seeds" $extra_seeds -type f \
        -name '*.log' 2>/dev/null |
        sort | while read -r f; do
            make_seeds "$t" "$f" "$seeds"
        done
    if [ -d "$src/tests/fuzz/seeds-$t" ]; then
        find "$src/tests/fuzz/seeds-$t" -type f ! -name 'README*' \
            ! -name '.*' | while read -r f; do
            make_seeds "$t" "$f" "$seeds"
        done
    fi
    find "$crashdir/$t" -type f ! -name 'README*' ! -name '.*' \
        -exec cp {} "$seeds/" \;

    # A state payload of a few accounts is larger than a log line.
    tmax=$maxlen
    if [ "$t" = state ] && [ "$tmax" -lt 65536 ]; then
        tmax=65536
    fi
    set -- -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 \
        -max_len="$tmax" -print_final_stats=1 -artifact_prefix="$art/"
    dict=$src/tests/fuzz/$t.dict
    [ -f "$dict" ] && set -- "$@" -dict="$dict"
    [ "$jobs" -gt 0 ] && set -- "$@" -fork="$jobs"
    echo "fuzz_$t: ${secs}s, log in $log"
    rc=0
    "$build/tests/fuzz/fuzz_$t" "$@" "$corpus" "$seeds" >"$log" 2>&1 || rc=$?

    found=0
    for a in "$art"/crash-* "$art"/leak-* "$art"/timeout-* "$art"/oom-* \
             "$art"/slow-unit-*; do
        [ -f "$a" ] || continue
        case ${a##*/} in slow-unit-*) continue ;; esac
        found=$((found + 1))
        cp "$a" "$crashdir/$t/"
    done
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    if [ "$rc" -ne 0 ] || [ "$found" -gt 0 ]; then
        echo "fuzz_$t: FAILED (exit $rc, $found input(s) copied to" \
            "$crashdir/$t), ${runs:-?} runs, $cov" | tee -a "$summary"
        grep -m1 -E '^(==[0-9]+==ERROR|.*runtime error|fuzz: )' "$log" || true
        return 1
    fi
    echo "fuzz_$t: ok, ${runs:-?} runs, $cov" | tee -a "$summary"
}

if [ "$parallel" -eq 1 ]; then
    pids=
    for t in $targets; do
        run_target "$t" &
        pids="$pids $!"
    done
    for p in $pids; do
        wait "$p" || status=1
    done
else
    for t in $targets; do
        run_target "$t" || status=1
    done
fi
echo "build: $build"
exit $status
