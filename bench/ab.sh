#!/usr/bin/env bash
# Two ftpaudit binaries timed in turn, in the same minutes, against
# `wc -l` and `zcat` on the same log: on a shared machine a neighbour's
# burst then hits every command of a round, not one row of a table.
#
#   bench/ab.sh OLD_BINARY NEW_BINARY LOG [ROUNDS]
#
# LOG is a plain log with LOG.gz beside it (bench/run.sh with BENCH_DIR
# leaves both); ROUNDS defaults to 5.  Each round runs LC_ALL=C wc -l,
# zcat > /dev/null, then each binary's `scan --tz UTC` on LOG and LOG.gz.
# Prints each command's wall times (milliseconds, sorted), then best and
# median seconds and the ratios of the targets (scan plain throughput /
# wc -l throughput, scan .gz time / zcat time) for both binaries.
set -euo pipefail

if [ $# -lt 3 ] || [ $# -gt 4 ]; then
    echo "usage: $0 OLD_BINARY NEW_BINARY LOG [ROUNDS]" >&2
    exit 2
fi
old=$1 new=$2 log=$3 rounds=${4:-5}
for f in "$old" "$new" "$log" "$log.gz"; do
    if [ ! -e "$f" ]; then
        echo "ab.sh: $f not found" >&2
        exit 2
    fi
done

times=$(mktemp)
trap 'rm -f "$times"' EXIT

# Wall milliseconds of one command, its output thrown away.
ms() {
    local s e
    s=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    e=$(date +%s%N)
    echo $(((e - s) / 1000000))
}

for _ in $(seq "$rounds"); do
    echo "wc $(ms env LC_ALL=C wc -l "$log")" >>"$times"
    echo "zcat $(ms zcat "$log.gz")" >>"$times"
    for side in old new; do
        bin=$old
        [ "$side" = new ] && bin=$new
        echo "$side-plain $(ms "$bin" scan --tz UTC "$log")" >>"$times"
        echo "$side-gz $(ms "$bin" scan --tz UTC "$log.gz")" >>"$times"
    done
done

# Best and median (mean of the middle two for an even count), seconds.
stats() {
    grep "^$1 " "$times" | awk '{print $2}' | sort -n | awk '
        { v[NR] = $1 }
        END {
            m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%.3f %.3f\n", v[1] / 1000, m / 1000
        }'
}

echo "wall ms per round, sorted:"
for k in wc zcat old-plain new-plain old-gz new-gz; do
    printf '  %-10s %s\n' "$k" "$(grep "^$k " "$times" | awk '{print $2}' |
        sort -n | tr '\n' ' ')"
done
read -r wc_b wc_m <<<"$(stats wc)"
read -r z_b z_m <<<"$(stats zcat)"
echo "best / median seconds, and the targets' ratios (best/best, median/median):"
printf '  wc -l %.2f / %.2f, zcat %.2f / %.2f\n' "$wc_b" "$wc_m" "$z_b" "$z_m"
for side in old new; do
    read -r p_b p_m <<<"$(stats "$side-plain")"
    read -r g_b g_m <<<"$(stats "$side-gz")"
    awk -v s="$side" -v pb="$p_b" -v pm="$p_m" -v gb="$g_b" -v gm="$g_m" \
        -v wb="$wc_b" -v wm="$wc_m" -v zb="$z_b" -v zm="$z_m" 'BEGIN {
        printf "  %s: scan plain %.2f / %.2f s (%.3fx / %.3fx wc -l, target >= 0.1x),", s, pb, pm, wb / pb, wm / pm
        printf " .gz %.2f / %.2f s (%.2fx / %.2fx zcat, target <= 0.8x)\n", gb, gm, gb / zb, gm / zm
    }'
done
