#!/usr/bin/env bash
# Memory benchmark of ftpaudit scan: peak RSS against the number of lines
# (should be flat) and against the number of accounts (should be linear),
# and one big run checked against the bound documented in
# docs/resources.md. Logs come from bench/gen_vsftpd.c (vsftpd format).
#
#   bench/resources.sh
#
# Three parts:
#   1. lines series: the same servers logging for longer. 2000 accounts,
#      4000 addresses, uniform activity, LINES_SERIES lines at a steady
#      rate (10M lines in 28 days: the days grow with the lines). Every
#      account and address is seen early and every account's history is
#      full, so peak RSS should not move: "flat" when RSS(largest) /
#      RSS(the point before) <= 1.10 (the whole series' ratio is shown
#      too: at the first points histories are still filling). ftpaudit parse is measured on the same logs
#      as a reference (it keeps no per-account state).
#   2. accounts series: BIG_LINES lines, uniform activity (-z 0, so every
#      account is seen), 10 addresses per account, ACCOUNTS_SERIES
#      accounts. Fits RSS = a + b * accounts (least squares): "linear" when
#      every point is within 10% of the line.
#   3. the big run: BIG_LINES lines, BIG_ACCOUNTS accounts, BIG_IPS
#      addresses, -z 0, and a botnet spraying passwords from every address
#      of the world in turn (gen_vsftpd --spray 750: 3 sessions in 4), so
#      that all BIG_IPS addresses show up; its peak RSS against the
#      documented bound, applied to the accounts and addresses its report
#      says were seen.
#
# Environment:
#   BUILD=DIR           meson build directory (default: build-bench in the
#                       source tree, set up with --buildtype=release)
#   BENCH_DIR=DIR       where the logs go and stay (default: a temporary
#                       folder, removed at the end, and each log deleted
#                       right after its runs); logs there are reused when
#                       their name (lines, accounts, addresses, seed, skew)
#                       matches and gen_vsftpd is not newer. The defaults
#                       keep about 11 GB there.
#   LINES_SERIES="N..." lines of part 1 (default 2000000 5000000 10000000
#                       20000000)
#   ACCOUNTS_SERIES="N..."  accounts of part 2 (default 12500 25000 50000
#                       100000)
#   BIG_LINES=N         lines of parts 2 and 3 (default 10000000)
#   BIG_ACCOUNTS=N      accounts of part 3 (default 100000)
#   BIG_IPS=N           addresses of part 3 (default 1000000)
#   SEED=N              generator seed (default 1)
#
# Measured: ftpaudit scan --tz UTC -q --format json -o REPORT LOG (exit 0
# or 1 -- 1 only means findings -- with the seen accounts, addresses,
# events and findings read from REPORT), and ftpaudit parse --tz UTC LOG >
# /dev/null in part 1. Peak RSS comes from /usr/bin/time (%M), wall time
# from date +%s%N. Scan looks for GeoIP databases where it always does.
# This is a benchmark, not a test: nothing here fails a build. The exit
# status is 0, or 1 when a run itself failed (crash, exit status above 1,
# unreadable report), 2 for a usage or setup problem.
set -euo pipefail

# The bound documented in docs/resources.md: peak RSS of a scan stays below
#   BOUND_BASE_MB + BOUND_KB_PER_ACCOUNT * accounts
#                 + BOUND_KB_PER_ADDRESS * addresses     (KB = 1024 bytes)
# Keep these three equal to the figures there.
BOUND_BASE_MB=64
BOUND_KB_PER_ACCOUNT=16
BOUND_KB_PER_ADDRESS=1

# Part 1's world, and its rate: days per 10 million lines.
LS_ACCOUNTS=2000
LS_IPS=4000
LS_SKEW=0
LS_DAYS_PER_10M=28
# Part 3: sessions in 1000 that spray passwords.
BIG_SPRAY=750
# Part 2: addresses per account.
AS_IPS_PER_ACCOUNT=10
# Verdict thresholds.
FLAT_MAX=1.10
LINEAR_MAX_DEV=0.10
# Bytes per generated line (measured: 137) and per line of report, for
# the disk space check.
LOG_BYTES_PER_LINE=140
REPORT_BYTES_PER_LINE=25

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
LINES_SERIES=${LINES_SERIES:-2000000 5000000 10000000 20000000}
ACCOUNTS_SERIES=${ACCOUNTS_SERIES:-12500 25000 50000 100000}
BIG_LINES=${BIG_LINES:-10000000}
BIG_ACCOUNTS=${BIG_ACCOUNTS:-100000}
BIG_IPS=${BIG_IPS:-1000000}
SEED=${SEED:-1}

die() { echo "resources.sh: $*" >&2; exit 2; }

# check_nums NAME MIN VALUE...: whole numbers, at least MIN
check_nums()
{
    local name=$1 min=$2 v
    shift 2
    [ $# -gt 0 ] || die "$name is empty"
    for v in "$@"; do
        case $v in
        '' | *[!0-9]*) die "$name: '$v' is not a whole number" ;;
        esac
        [ "$v" -ge "$min" ] || die "$name: $v is below $min"
    done
}
# shellcheck disable=SC2086 # the series are lists of words
check_nums LINES_SERIES 1000 $LINES_SERIES
# shellcheck disable=SC2086
check_nums ACCOUNTS_SERIES 1 $ACCOUNTS_SERIES
check_nums BIG_LINES 1000 "$BIG_LINES"
check_nums BIG_ACCOUNTS 1 "$BIG_ACCOUNTS"
check_nums BIG_IPS 2 "$BIG_IPS"
check_nums SEED 0 "$SEED"
# Sorted, without repeats: the verdicts compare the ends.
# shellcheck disable=SC2086
LINES_SERIES=$(printf '%s\n' $LINES_SERIES | sort -n -u | tr '\n' ' ')
# shellcheck disable=SC2086
ACCOUNTS_SERIES=$(printf '%s\n' $ACCOUNTS_SERIES | sort -n -u | tr '\n' ' ')

for tool in /usr/bin/time python3 meson ninja df; do
    command -v "$tool" >/dev/null || die "$tool is needed"
done

# ---- build ----
BENCH_NAME=resources.sh
# shellcheck source=bench/build.sh
. "$ROOT/bench/build.sh"

# ---- work folder ----
if [ -n "${BENCH_DIR:-}" ]; then
    mkdir -p "$BENCH_DIR"
    DIR=$(cd "$BENCH_DIR" && pwd)
    KEEP=yes
else
    DIR=$(mktemp -d "${TMPDIR:-/tmp}/ftpaudit-res.XXXXXX")
    trap 'rm -rf "$DIR"' EXIT
    KEEP=no
fi
TF=$DIR/time.out

# log_name LINES ACCOUNTS IPS SKEW DAYS SPRAY
log_name()
{
    echo "$DIR/vsftpd-n$1-a$2-i$3-s$SEED-z$4-d$5-p$6.log"
}

# days_for LINES: part 1's steady rate
days_for()
{
    local d=$(($1 * LS_DAYS_PER_10M / 10000000))
    echo $((d > 0 ? d : 1))
}

# reusable LOG: kept from an earlier run and not older than the generator
reusable()
{
    [ "$KEEP" = yes ] && [ -s "$1" ] && ! [ "$GEN" -nt "$1" ]
}

avail_bytes()
{
    df -Pk "$DIR" | awk 'NR == 2 { printf "%.0f", $4 * 1024 }'
}

gb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1073741824 }'; }

# The plan: one "LINES ACCOUNTS IPS SKEW DAYS SPRAY" per line, in the
# order of the runs.
plan=()
for n in $LINES_SERIES; do
    plan+=("$n $LS_ACCOUNTS $LS_IPS $LS_SKEW $(days_for "$n") 0")
done
for a in $ACCOUNTS_SERIES; do
    plan+=("$BIG_LINES $a $((a * AS_IPS_PER_ACCOUNT)) 0 28 0")
done
plan+=("$BIG_LINES $BIG_ACCOUNTS $BIG_IPS 0 28 $BIG_SPRAY")

# Disk space: with BENCH_DIR every new log stays; without, one log (and
# its report) at a time.
need=0
declare -A planned
for p in "${plan[@]}"; do
    read -r n a i z dd sp <<<"$p"
    f=$(log_name "$n" "$a" "$i" "$z" "$dd" "$sp")
    [ -z "${planned[$f]:-}" ] || continue
    planned[$f]=1
    reusable "$f" && continue
    b=$((n * LOG_BYTES_PER_LINE))
    if [ "$KEEP" = yes ]; then
        need=$((need + b))
    elif [ "$b" -gt "$need" ]; then
        need=$b
    fi
done
biggest=0
for n in $LINES_SERIES $BIG_LINES; do
    [ "$n" -gt "$biggest" ] && biggest=$n
done
need=$((need + biggest * REPORT_BYTES_PER_LINE + 268435456))
have=$(avail_bytes)
if [ "$have" -lt "$need" ]; then
    die "$DIR has $(gb "$have") GB free, this run needs about $(gb "$need") GB"
fi
echo "resources.sh: about $(gb "$need") GB of disk needed in $DIR," \
    "$(gb "$have") GB free" >&2

# ---- measuring ----
# measure OUT ERR CMD...: sets M_WALL (s), M_RSS (KiB), M_ST (exit status)
measure()
{
    local out=$1 err=$2 t0 t1
    shift 2
    rm -f "$TF"
    t0=$(date +%s%N)
    M_ST=0
    /usr/bin/time -f '%M %U %S' -o "$TF" "$@" >"$out" 2>"$err" || M_ST=$?
    t1=$(date +%s%N)
    M_WALL=$(awk -v n="$((t1 - t0))" 'BEGIN { printf "%.2f", n / 1e9 }')
    M_RSS=0
    if [ -s "$TF" ]; then
        read -r M_RSS _ < <(tail -n 1 "$TF") || true
    fi
    case $M_RSS in
    '' | *[!0-9]*) M_RSS=0 ;;
    esac
}

loadavg()
{
    local p=""
    if [ -r /proc/pressure/cpu ]; then
        p=" (cpu pressure avg10 $(sed -n 's/^some avg10=\([0-9.]*\).*/\1/p' /proc/pressure/cpu)%)"
    fi
    echo "$(cut -d' ' -f1-3 /proc/loadavg)$p"
}

failed=0
# Results per log (the big run reuses a point of part 2): "accounts
# addresses findings events wall rss note", fields "?" when unknown.
declare -A SCAN PARSE

# get_log LINES ACCOUNTS IPS SKEW DAYS SPRAY: generate (or reuse) the
# log, set LOG
get_log()
{
    LOG=$(log_name "$@")
    if reusable "$LOG"; then
        echo "reusing $LOG" >&2
    else
        local have need
        have=$(avail_bytes)
        need=$(($1 * (LOG_BYTES_PER_LINE + REPORT_BYTES_PER_LINE) + 268435456))
        if [ "$have" -lt "$need" ]; then
            echo "resources.sh: only $(gb "$have") GB free in $DIR," \
                "$LOG needs about $(gb "$need") GB" >&2
            exit 2
        fi
        echo "generating $LOG ..." >&2
        "$GEN" -n "$1" -a "$2" -i "$3" -s "$SEED" -z "$4" -d "$5" -p "$6" \
            -o "$LOG"
    fi
    # From the page cache, as for every run.
    cat "$LOG" >/dev/null
}

# done_with_log: without BENCH_DIR a log goes as soon as it was measured
done_with_log()
{
    [ "$KEEP" = yes ] || rm -f "$LOG"
}

# run_failed NOTE ERRFILE: say so now, the temporary folder goes at exit
run_failed()
{
    echo "resources.sh: $1, the end of $2:" >&2
    tail -n 5 "$2" >&2 || true
}

# report_figures REPORT: "accounts addresses findings events" seen
report_figures()
{
    python3 -c 'import json, sys
with open(sys.argv[1]) as f:
    d = json.load(f)
t = d["totals"]
print(t["accounts"], t["addresses"], len(d["findings"]), t["events"])' "$1"
}

# run_scan: scan LOG, store its row in SCAN[$LOG]
run_scan()
{
    local base=${LOG%.log} fig="? ? ? ?" note=""
    echo "scanning $LOG ..." >&2
    rm -f "$base.report.json"
    measure /dev/null "$base.scan.err" \
        "$FTPAUDIT" scan --tz UTC -q --format json -o "$base.report.json" "$LOG"
    if [ "$M_ST" -gt 1 ]; then
        note="FAILED: exit $M_ST"
    elif ! fig=$(report_figures "$base.report.json" 2>>"$base.scan.err"); then
        fig="? ? ? ?"
        note="FAILED: unreadable report"
    fi
    if [ -n "$note" ]; then
        failed=1
        run_failed "$note" "$base.scan.err"
    else
        rm -f "$base.report.json"
    fi
    SCAN[$LOG]="$fig $M_WALL $M_RSS $note"
}

# run_parse: parse LOG > /dev/null, store its row in PARSE[$LOG]
run_parse()
{
    local base=${LOG%.log} ev note=""
    echo "parsing $LOG ..." >&2
    measure /dev/null "$base.parse.err" "$FTPAUDIT" parse --tz UTC "$LOG"
    # "PATH: FORMAT, N lines, N events, ..." on parse's stderr
    ev=$(sed -n 's/.* \([0-9][0-9]*\) events.*/\1/p' "$base.parse.err" | tail -n 1)
    if [ "$M_ST" -ne 0 ]; then
        note="FAILED: exit $M_ST"
        failed=1
        run_failed "$note" "$base.parse.err"
    fi
    PARSE[$LOG]="- - - ${ev:-?} $M_WALL $M_RSS $note"
}

HEAD_FMT='%-6s %10s %9s %10s %9s %10s %8s %8s  %s\n'
table_head()
{
    # shellcheck disable=SC2059 # the format is a constant
    printf "$HEAD_FMT" run lines accounts addresses findings events \
        'wall s' 'RSS MB' note
}
# row RUN LINES "ACCOUNTS ADDRESSES FINDINGS EVENTS WALL RSS NOTE..."
row()
{
    local run=$1 lines=$2 acc addr fnd ev wall rss note
    read -r acc addr fnd ev wall rss note <<<"$3"
    # shellcheck disable=SC2059
    printf "$HEAD_FMT" "$run" "$lines" "$acc" "$addr" "$fnd" "$ev" "$wall" \
        "$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')" "$note"
}
field() { echo "$1" | cut -d' ' -f"$2"; }
# rss_of ROW: its peak RSS (KiB), 0 when the run failed (a note is set)
rss_of()
{
    if [ -n "$(echo "$1" | cut -d' ' -f7-)" ]; then
        echo 0
    else
        field "$1" 6
    fi
}

commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
dirty=$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null | wc -l)
echo "ftpaudit memory benchmark, $(date '+%Y-%m-%d %H:%M')"
echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo)," \
    "load average before $(loadavg)"
echo "ftpaudit: $FTPAUDIT (buildtype $buildtype), tree at commit $commit" \
    "$([ "$dirty" -gt 0 ] && echo "+ $dirty modified files")$build_note"
echo "logs: $DIR ($([ "$KEEP" = yes ] && echo kept || echo "deleted after use")), seed $SEED"
echo "peak RSS from /usr/bin/time (%M), RSS MB = MiB; wall time from date +%s%N"

# ---- 1. lines series ----
echo
echo "1. peak RSS against lines: $LS_ACCOUNTS accounts, $LS_IPS addresses," \
    "skew $LS_SKEW, $LS_DAYS_PER_10M days per 10M lines; parse as a reference"
declare -A LS_LOG
for n in $LINES_SERIES; do
    get_log "$n" "$LS_ACCOUNTS" "$LS_IPS" "$LS_SKEW" "$(days_for "$n")" 0
    LS_LOG[$n]=$LOG
    run_scan
    run_parse
    done_with_log
done
table_head
for n in $LINES_SERIES; do
    row scan "$n" "${SCAN[${LS_LOG[$n]}]}"
done
for n in $LINES_SERIES; do
    row parse "$n" "${PARSE[${LS_LOG[$n]}]}"
done
# The verdict compares the last two points: before, every account's
# history (its last 64 sessions, the web files it touched) is still
# filling; the first point is shown beside for the whole series.
first=$(echo "$LINES_SERIES" | awk '{ print (NF > 1 ? $(NF - 1) : $1) }')
last=$(echo "$LINES_SERIES" | awk '{ print $NF }')
start=$(echo "$LINES_SERIES" | awk '{ print $1 }')
flat_verdict()
{
    # flat_verdict LABEL RSS-SMALL RSS-LARGE
    awk -v l="$1" -v s="$2" -v b="$3" -v max="$FLAT_MAX" -v n0="$first" \
        -v n1="$last" 'BEGIN {
        if (s <= 0 || b <= 0) { printf "%s: no figures\n", l; exit }
        r = b / s
        printf "%s: RSS %d / %d lines = %.3fx (flat <= %.2fx), %+.1f MB" \
            " (%+.0f KB per 1M lines): %s\n", l, n1, n0, r, max,
            (b - s) / 1024, (n1 > n0 ? (b - s) / ((n1 - n0) / 1e6) : 0),
            (r <= max ? "flat" : "GROWS") }'
}
if [ "$first" = "$last" ]; then
    echo "(one lines value: no verdict)"
else
    s0=${SCAN[${LS_LOG[$first]}]}
    s1=${SCAN[${LS_LOG[$last]}]}
    flat_verdict "scan" "$(rss_of "$s0")" "$(rss_of "$s1")"
    awk -v a="$(rss_of "${SCAN[${LS_LOG[$start]}]}")" -v b="$(rss_of "$s1")" \
        -v n0="$start" -v n1="$last" 'BEGIN { if (a > 0 && b > 0)
        printf "scan over the whole series: RSS %d / %d lines = %.3fx\n",
            n1, n0, b / a }'
    flat_verdict "parse (reference)" "$(rss_of "${PARSE[${LS_LOG[$first]}]}")" \
        "$(rss_of "${PARSE[${LS_LOG[$last]}]}")"
    if [ "$(field "$s0" 1)" != "$(field "$s1" 1)" ] ||
        [ "$(field "$s0" 2)" != "$(field "$s1" 2)" ]; then
        echo "note: accounts/addresses seen differ between $first and $last" \
            "lines: part of the growth is the world being seen, not lines"
    fi
fi

# ---- 2. accounts series ----
echo
echo "2. peak RSS against accounts: $BIG_LINES lines, skew 0 (uniform)," \
    "$AS_IPS_PER_ACCOUNT addresses per account in the world"
declare -A AS_LOG
for a in $ACCOUNTS_SERIES; do
    get_log "$BIG_LINES" "$a" "$((a * AS_IPS_PER_ACCOUNT))" 0 28 0
    AS_LOG[$a]=$LOG
    run_scan
    done_with_log
done
table_head
points=""
for a in $ACCOUNTS_SERIES; do
    r=${SCAN[${AS_LOG[$a]}]}
    row scan "$BIG_LINES" "$r"
    points+="$(field "$r" 1) $(field "$r" 2) $(rss_of "$r")"$'\n'
done
python3 - "$LINEAR_MAX_DEV" "$points" <<'EOF' || true
import sys
maxdev = float(sys.argv[1])
pts = []
for line in sys.argv[2].splitlines():
    acc, addr, rss = line.split()
    if acc != "?" and int(rss) > 0:
        pts.append((int(acc), int(addr), int(rss)))
if len(pts) < 2 or len(set(p[0] for p in pts)) < 2:
    print("(fewer than two points with figures: no fit)")
    sys.exit(0)
n = len(pts)
mx = sum(p[0] for p in pts) / n
my = sum(p[2] for p in pts) / n
sxx = sum((p[0] - mx) ** 2 for p in pts)
sxy = sum((p[0] - mx) * (p[2] - my) for p in pts)
b = sxy / sxx
a = my - b * mx
worst = 0.0
for acc, addr, rss in pts:
    fit = a + b * acc
    dev = abs(rss - fit) / fit if fit > 0 else float("inf")
    worst = max(worst, dev)
    print("  %9d accounts: %8.1f MB measured, %8.1f MB on the line (%+.1f%%)"
          % (acc, rss / 1024, fit / 1024, 100 * (rss - fit) / fit
             if fit > 0 else 0))
ratio = sum(p[1] for p in pts) / sum(p[0] for p in pts)
print("fit: RSS = %.1f MB + %.2f KB x accounts (b includes the %.1f addresses"
      " per account the logs show)" % (a / 1024, b, ratio))
print("largest deviation from the line: %.1f%% (linear <= %.0f%%): %s"
      % (100 * worst, 100 * maxdev, "linear" if worst <= maxdev else
         "NOT LINEAR"))
EOF

# ---- 3. the big run ----
echo
echo "3. the big run: $BIG_LINES lines, $BIG_ACCOUNTS accounts," \
    "$BIG_IPS addresses, skew 0, $BIG_SPRAY sessions in 1000 spraying"
LOG=$(log_name "$BIG_LINES" "$BIG_ACCOUNTS" "$BIG_IPS" 0 28 "$BIG_SPRAY")
if [ -n "${SCAN[$LOG]:-}" ]; then
    echo "(the same log as a run of part 2: that run)"
else
    get_log "$BIG_LINES" "$BIG_ACCOUNTS" "$BIG_IPS" 0 28 "$BIG_SPRAY"
    run_scan
    done_with_log
fi
table_head
r=${SCAN[$LOG]}
row scan "$BIG_LINES" "$r"
awk -v acc="$(field "$r" 1)" -v addr="$(field "$r" 2)" -v rss="$(rss_of "$r")" \
    -v base="$BOUND_BASE_MB" -v kacc="$BOUND_KB_PER_ACCOUNT" \
    -v kaddr="$BOUND_KB_PER_ADDRESS" -v ips="$BIG_IPS" 'BEGIN {
    if (acc == "?" || rss <= 0) { print "bound: no figures"; exit }
    bound = base + (kacc * acc + kaddr * addr) / 1024
    printf "bound (docs/resources.md): %d MB + %d KB x %d accounts" \
        " + %d KB x %d addresses = %.1f MB\n", base, kacc, acc, kaddr, addr,
        bound
    printf "peak RSS %.1f MB = %.0f%% of the bound: %s\n", rss / 1024,
        100 * rss / 1024 / bound,
        (rss / 1024 <= bound ? "within bound" : "OVER BOUND")
    if (addr < ips * 0.9)
        printf "note: only %d addresses seen of the %d in the generated" \
            " world\n", addr, ips }'

echo
echo "load average after $(loadavg)"
if [ "$failed" -ne 0 ]; then
    echo "resources.sh: some runs FAILED (see the notes above)" >&2
fi
exit "$failed"
