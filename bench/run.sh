#!/usr/bin/env bash
# Speed benchmark of ftpaudit against the usual command-line tools, on one
# synthetic log (bench/gen_vsftpd.c), plain and gzip, in one run.
#
#   bench/run.sh [LINES]            LINES defaults to 10000000
#
# Environment:
#   BUILD=DIR       meson build directory (default: build-bench in the
#                   source tree, set up with --buildtype=release)
#   BENCH_DIR=DIR   where the logs go and stay (default: a temporary
#                   folder, removed at the end); files there are reused
#                   when their name (format, lines, seed, skew, gzip
#                   level) matches and gen_vsftpd is not newer
#   FORMAT=F        vsftpd (default), xferlog or sftp; with vsftpd, if the
#                   vsftpd parser yields no events yet, xferlog is used
#   SEED=N          generator seed (default 1)
#   SKEW=X          account activity ~ 1/rank^X (gen_vsftpd -z, default
#                   0.9: a few robot accounts busy all day; 0: uniform)
#   GZIP_LEVEL=N    gzip level of the .gz copy (default 6, gzip's default)
#   REPEAT=N        runs per command, the fastest is kept (default 1)
#   SCAN_ARGS=...   extra arguments of ftpaudit scan (default: --tz UTC;
#                   scan looks for GeoIP databases where it always does)
#
# Prints a table of wall time, CPU time (user+sys), peak RSS and
# throughput per command, then the ratios against their targets:
#   ftpaudit parse plain  >= 2x faster than the mawk summary
#   ftpaudit parse .gz    <= 1.0x the time of zcat > /dev/null
#   ftpaudit scan plain   >= 1/10 of the throughput of LC_ALL=C wc -l
#   ftpaudit scan .gz     <= 0.8x the time of zcat   (scan only if it exists)
#   peak RSS of parse     flat between 1M (or LINES/10) and LINES lines
# This is a benchmark, not a test: nothing here fails a build.
set -euo pipefail

LINES=${1:-10000000}
case $LINES in
'' | *[!0-9]*)
    echo "usage: $0 [LINES]" >&2
    exit 2
    ;;
esac
if [ "$LINES" -lt 1000 ]; then
    echo "run.sh: LINES must be at least 1000" >&2
    exit 2
fi

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
FORMAT=${FORMAT:-vsftpd}
SEED=${SEED:-1}
SKEW=${SKEW:-0.9}
GZIP_LEVEL=${GZIP_LEVEL:-6}
REPEAT=${REPEAT:-1}

for tool in /usr/bin/time mawk gzip zcat meson ninja; do
    if ! command -v "$tool" >/dev/null; then
        echo "run.sh: $tool is needed" >&2
        exit 2
    fi
done

# ---- build ----
BENCH_NAME=run.sh
# shellcheck source=bench/build.sh
. "$ROOT/bench/build.sh"

# ---- inputs ----
if [ -n "${BENCH_DIR:-}" ]; then
    mkdir -p "$BENCH_DIR"
    DIR=$BENCH_DIR
else
    DIR=$(mktemp -d "${TMPDIR:-/tmp}/ftpaudit-bench.XXXXXX")
    trap 'rm -rf "$DIR"' EXIT
fi

# FORMAT=vsftpd while the vsftpd parser is still a stub: fall back.
if [ "$FORMAT" = vsftpd ]; then
    "$GEN" -n 2000 -s "$SEED" -o "$DIR/probe.log"
    ev=$("$FTPAUDIT" parse --tz UTC "$DIR/probe.log" 2>/dev/null | wc -l || true)
    rm -f "$DIR/probe.log"
    if [ "$ev" -eq 0 ]; then
        echo "run.sh: NOTE: the vsftpd parser yields no events yet;" \
            "benchmarking the xferlog format instead" >&2
        FORMAT=xferlog
    fi
fi

PLAIN=$DIR/$FORMAT-$LINES-s$SEED.log
if [ "$SKEW" != 0.9 ]; then
    PLAIN=$DIR/$FORMAT-$LINES-s$SEED-z$SKEW.log
fi
GZ=$PLAIN.gz
if [ "$GZIP_LEVEL" != 6 ]; then
    GZ=${PLAIN%.log}-gzip$GZIP_LEVEL.log.gz
fi
if [ ! -s "$PLAIN" ] || [ "$GEN" -nt "$PLAIN" ]; then
    echo "generating $PLAIN ..." >&2
    "$GEN" -n "$LINES" -f "$FORMAT" -s "$SEED" -z "$SKEW" -o "$PLAIN"
fi
if [ ! -s "$GZ" ] || [ "$PLAIN" -nt "$GZ" ]; then
    echo "compressing (gzip -$GZIP_LEVEL) ..." >&2
    gzip -"$GZIP_LEVEL" -c "$PLAIN" >"$GZ"
fi
if [ "$LINES" -gt 1000000 ]; then
    SMALL_LINES=1000000
else
    SMALL_LINES=$((LINES / 10))
fi
SMALL=${PLAIN%.log}.first$SMALL_LINES.log
if [ ! -s "$SMALL" ] || [ "$PLAIN" -nt "$SMALL" ]; then
    head -n "$SMALL_LINES" "$PLAIN" >"$SMALL"
fi

plain_bytes=$(stat -c %s "$PLAIN")
gz_bytes=$(stat -c %s "$GZ")

# ---- the mawk competitor: per account logins, failed logins, distinct
# source addresses, bytes up and down ----
AWK=$DIR/summary-$FORMAT.awk
case $FORMAT in
vsftpd)
    cat >"$AWK" <<'EOF'
# Mon Jan  5 08:14:02 2026 [pid 31401] [jsmith] OK LOGIN: Client "1.2.3.4"
substr($8, 1, 1) == "[" {
    u = substr($8, 2, length($8) - 2)
    ip = $12
    gsub(/[",]/, "", ip)
    if (!((u, ip) in seen)) { seen[u, ip] = 1; nip[u]++ }
    users[u] = 1
    if ($10 == "LOGIN:") {
        if ($9 == "OK") login[u]++; else fail[u]++
    } else if ($9 == "OK" && $(NF - 1) == "bytes,") {
        if ($10 == "UPLOAD:") up[u] += $(NF - 2)
        else if ($10 == "DOWNLOAD:") down[u] += $(NF - 2)
    }
}
END {
    for (u in users)
        printf "%s %d %d %d %.0f %.0f\n", u, login[u], fail[u], nip[u], up[u], down[u]
}
EOF
    ;;
xferlog)
    cat >"$AWK" <<'EOF'
# Mon Jan  5 08:14:03 2026 1 1.2.3.4 18342 /home/j/x.html b _ i r jsmith ftp 0 * c
# (xferlog has no login lines: transfers stand in for logins)
{
    u = $14; ip = $7
    if (!((u, ip) in seen)) { seen[u, ip] = 1; nip[u]++ }
    users[u] = 1
    if ($NF == "c") login[u]++; else fail[u]++
    if ($12 == "i") up[u] += $8; else down[u] += $8
}
END {
    for (u in users)
        printf "%s %d %d %d %.0f %.0f\n", u, login[u], fail[u], nip[u], up[u], down[u]
}
EOF
    ;;
sftp)
    cat >"$AWK" <<'EOF'
# sshd[P]: Accepted password for U from IP port N ssh2
# internal-sftp[Q]: session opened for local user U from [IP]
# internal-sftp[Q]: close "/p" bytes read R written W
$6 == "Accepted" || ($6 == "Failed" && $7 == "password") {
    for (i = 7; i < NF; i++) if ($i == "from") break
    u = $(i - 1); ip = $(i + 1)
    if (!((u, ip) in seen)) { seen[u, ip] = 1; nip[u]++ }
    users[u] = 1
    if ($6 == "Accepted") login[u]++; else fail[u]++
    next
}
$6 == "session" && $7 == "opened" && $9 == "local" {
    who[$5] = $11; next
}
$6 == "close" && $(NF - 1) == "written" {
    u = who[$5]
    down[u] += $(NF - 2); up[u] += $NF
}
END {
    for (u in users)
        printf "%s %d %d %d %.0f %.0f\n", u, login[u], fail[u], nip[u], up[u], down[u]
}
EOF
    ;;
*)
    echo "run.sh: unknown FORMAT $FORMAT" >&2
    exit 2
    ;;
esac

# ---- measuring ----
# measure NAME OUTFILE CMD...: run REPEAT times, keep the fastest wall
# time; sets W[NAME] (s), C[NAME] (user+sys s), R[NAME] (peak RSS KiB),
# S[NAME] (exit status).
declare -A W C R S CMDLINE
TF=$DIR/time.out
measure()
{
    local name=$1 out=$2
    shift 2
    local k t0 t1 wall rss user sys st best=
    CMDLINE[$name]="$* > $out"
    for ((k = 0; k < REPEAT; k++)); do
        t0=$(date +%s%N)
        st=0
        /usr/bin/time -f '%M %U %S' -o "$TF" "$@" >"$out" 2>"$DIR/$name.err" || st=$?
        t1=$(date +%s%N)
        wall=$(((t1 - t0) / 1000000))
        read -r rss user sys < <(tail -n 1 "$TF")
        if [ -z "$best" ] || [ "$wall" -lt "$best" ]; then
            best=$wall
            W[$name]=$(awk -v m="$wall" 'BEGIN { printf "%.3f", m / 1000 }')
            C[$name]=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
            R[$name]=$rss
            S[$name]=$st
        fi
    done
}

loadavg()
{
    local p=""
    if [ -r /proc/pressure/cpu ]; then
        p=" (cpu pressure avg10 $(sed -n 's/^some avg10=\([0-9.]*\).*/\1/p' /proc/pressure/cpu)%)"
    fi
    echo "$(cut -d' ' -f1-3 /proc/loadavg)$p"
}

PARSE=("$FTPAUDIT" parse --tz UTC)
has_scan=no
if "$FTPAUDIT" --help 2>&1 | grep -Eq '^[[:space:]]+scan([[:space:]]|$)'; then
    has_scan=yes
fi

load_before=$(loadavg)
# Warm the page cache so every command reads from memory.
cat "$PLAIN" "$GZ" "$SMALL" >/dev/null

measure wc /dev/null env LC_ALL=C wc -l "$PLAIN"
measure zcat /dev/null zcat "$GZ"
measure mawk "$DIR/mawk-summary.txt" mawk -f "$AWK" "$PLAIN"
measure parse /dev/null "${PARSE[@]}" "$PLAIN"
measure parse_gz /dev/null "${PARSE[@]}" "$GZ"
if [ $has_scan = yes ]; then
    # shellcheck disable=SC2086 # SCAN_ARGS is a list of words
    # FTPAUDIT_STAGE_TIMES: scan says on stderr where its time went.
    measure scan /dev/null env FTPAUDIT_STAGE_TIMES=1 "$FTPAUDIT" scan ${SCAN_ARGS:---tz UTC} "$PLAIN"
    # shellcheck disable=SC2086
    measure scan_gz /dev/null env FTPAUDIT_STAGE_TIMES=1 "$FTPAUDIT" scan ${SCAN_ARGS:---tz UTC} "$GZ"
fi
measure parse_small /dev/null "${PARSE[@]}" "$SMALL"
if [ $has_scan = yes ]; then
    # shellcheck disable=SC2086
    measure scan_small /dev/null "$FTPAUDIT" scan ${SCAN_ARGS:---tz UTC} "$SMALL"
fi
load_after=$(loadavg)

# ---- report ----
events_of() {
    # "PATH: FORMAT, N lines, N events, ..." on parse's stderr
    sed -n 's/.* \([0-9][0-9]*\) events.*/\1/p' "$DIR/$1.err" | tail -n 1
}

mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }

commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
dirty=$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null | wc -l)
echo
echo "ftpaudit speed benchmark, $(date '+%Y-%m-%d %H:%M')"
echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)," \
    "load average before $load_before, after $load_after"
echo "(a busy machine shows as wall time well above CPU time for the one-thread rows)"
inflater=zlib
grep -q '^#define FA_HAVE_ISAL 1' "$BUILD/config.h" 2>/dev/null && inflater=ISA-L
echo "ftpaudit: $FTPAUDIT (buildtype $buildtype, gzip inflater $inflater), tree at commit $commit" \
    "$([ "$dirty" -gt 0 ] && echo "+ $dirty modified files")$build_note"
echo "input: $FORMAT format, $LINES lines, seed $SEED, skew $SKEW:" \
    "$(mb "$plain_bytes") MB plain, $(mb "$gz_bytes") MB gzip -$GZIP_LEVEL" \
    "(ratio $(awk -v p="$plain_bytes" -v g="$gz_bytes" 'BEGIN { printf "%.1f", p / g }'))"
echo "best of $REPEAT run(s); wall time from date +%s%N, CPU and RSS from /usr/bin/time"
echo
printf '%-34s %8s %10s %8s %9s %9s %s\n' command 'wall s' 'cpu s' 'RSS MB' 'MB/s' 'Mlines/s' note
row()
{
    local name=$1 label=$2 bytes=$3 lines=$4 note=${5:-}
    [ -n "${W[$name]:-}" ] || return 0
    if [ "${S[$name]}" -eq 1 ] && [[ $name == scan* ]]; then
        note="exit 1: findings $note"
    elif [ "${S[$name]}" -ne 0 ]; then
        note="EXIT ${S[$name]} $note"
    fi
    awk -v l="$label" -v w="${W[$name]}" -v c="${C[$name]}" -v r="${R[$name]}" \
        -v b="$bytes" -v n="$lines" -v note="$note" 'BEGIN {
        if (w <= 0) w = 0.001
        printf "%-34s %8.2f %10.2f %8.1f %9.1f %9.2f %s\n", l, w, c, r / 1024,
            b / 1e6 / w, n / 1e6 / w, note }'
}
ev_plain=$(events_of parse)
ev_gz=$(events_of parse_gz)
row wc "LC_ALL=C wc -l (plain)" "$plain_bytes" "$LINES"
row zcat "zcat > /dev/null (.gz)" "$plain_bytes" "$LINES"
row mawk "mawk account summary (plain)" "$plain_bytes" "$LINES"
row parse "ftpaudit parse (plain)" "$plain_bytes" "$LINES" "${ev_plain:-?} events"
row parse_gz "ftpaudit parse (.gz)" "$plain_bytes" "$LINES" "${ev_gz:-?} events"
row scan "ftpaudit scan (plain)" "$plain_bytes" "$LINES"
row scan_gz "ftpaudit scan (.gz)" "$plain_bytes" "$LINES"
row parse_small "ftpaudit parse ($SMALL_LINES lines)" \
    "$(stat -c %s "$SMALL")" "$SMALL_LINES"
row scan_small "ftpaudit scan ($SMALL_LINES lines)" \
    "$(stat -c %s "$SMALL")" "$SMALL_LINES"
echo "(MB/s and Mlines/s are of the uncompressed log for every row)"

echo
echo "ratios: by wall time (the targets), and by CPU time (user+sys, less"
echo "sensitive to a busy machine; for .gz ftpaudit inflates in a second"
echo "thread, so its wall time can be below its CPU time)"
printf '%-42s %8s %8s %8s  %s\n' ratio wall cpu target verdict
ratio()
{
    # ratio LABEL WALL-VALUE CPU-VALUE OP TARGET: the verdict is on wall
    awk -v l="$1" -v v="$2" -v c="$3" -v op="$4" -v t="$5" 'BEGIN {
        ok = (op == ">=") ? (v >= t) : (v <= t)
        printf "%-42s %7.3fx %7.3fx %4s%sx  %s\n", l, v, c, op, t,
            ok ? "met" : "MISSED" }'
}
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) b = 0.001; printf "%.4f", a / b }'; }
ratio "parse plain: speed-up over mawk" \
    "$(div "${W[mawk]}" "${W[parse]}")" "$(div "${C[mawk]}" "${C[parse]}")" ">=" 2
ratio "parse .gz: time / zcat time" \
    "$(div "${W[parse_gz]}" "${W[zcat]}")" "$(div "${C[parse_gz]}" "${C[zcat]}")" "<=" 1.0
if [ $has_scan = yes ]; then
    ratio "scan plain: throughput / wc -l throughput" \
        "$(div "${W[wc]}" "${W[scan]}")" "$(div "${C[wc]}" "${C[scan]}")" ">=" 0.1
    ratio "scan .gz: time / zcat time" \
        "$(div "${W[scan_gz]}" "${W[zcat]}")" "$(div "${C[scan_gz]}" "${C[zcat]}")" "<=" 0.8
else
    echo "(no 'ftpaudit scan' subcommand yet: scan ratios not measured)"
fi
rss_ratio=$(div "${R[parse]}" "${R[parse_small]}")
awk -v l="parse peak RSS: $LINES / $SMALL_LINES lines" -v v="$rss_ratio" 'BEGIN {
    printf "%-42s %7.3fx %8s %4s%sx  %s\n", l, v, "", "<=", 1.1,
        v <= 1.1 ? "met" : "MISSED" }'
echo "peak RSS of ftpaudit parse: $(mb $((R[parse_small] * 1024))) MB at $SMALL_LINES lines," \
    "$(mb $((R[parse] * 1024))) MB at $LINES lines"
if [ $has_scan = yes ]; then
    echo "ftpaudit scan: peak RSS $(mb $((R[scan_small] * 1024))) MB at $SMALL_LINES lines," \
        "$(mb $((R[scan] * 1024))) MB at $LINES lines; CPU time" \
        "x$(div "${C[scan]}" "${C[scan_small]}" | cut -c1-5) for" \
        "x$((LINES / SMALL_LINES)) the lines (linear would be x$((LINES / SMALL_LINES)))"
fi
if [ $has_scan = yes ]; then
    # The reading thread (read, inflate's hand-over, parse, prepare), the
    # detecting thread, and the report after both (last run of each).
    for name in scan scan_gz; do
        st=$(sed -n 's/^ftpaudit: stage seconds: //p' "$DIR/$name.err" | tail -n 1)
        [ -n "$st" ] && echo "ftpaudit $name stages: $st"
    done
fi
if [ -n "$ev_plain" ] && [ "$ev_plain" != "$ev_gz" ]; then
    echo "WARNING: plain and .gz gave different event counts ($ev_plain vs $ev_gz)"
fi

echo
echo "commands (in $DIR):"
for name in wc zcat mawk parse parse_gz scan scan_gz parse_small scan_small; do
    [ -n "${CMDLINE[$name]:-}" ] && echo "  $name: ${CMDLINE[$name]}"
done
echo "  mawk script: $AWK"
if [ -n "${BENCH_DIR:-}" ]; then
    echo "  mawk result: $DIR/mawk-summary.txt; stderr of each: $DIR/NAME.err"
fi
