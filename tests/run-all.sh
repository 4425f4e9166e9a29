#!/bin/sh
# Every test ftpaudit has, as CI runs them: installs what the tests need,
# then builds and tests three times: plainly, with AddressSanitizer and
# UndefinedBehaviorSanitizer, and with ThreadSanitizer.  Build folders:
# build/, build-asan/, build-tsan/ (and build-fuzz/ for libFuzzer).
set -eu
cd "$(dirname "$0")/.."
tools/deps.sh test
[ -d build ] || meson setup build
ninja -C build
meson test -C build --print-errorlogs
# The sanitizer build inflates with zlib, so that both inflaters are tested.
[ -d build-asan ] || meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false
meson configure build-asan -Disal=disabled
ninja -C build-asan
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    meson test -C build-asan --print-errorlogs --suite unit --suite golden --suite fuzz \
        --suite scan --suite text --suite siem --suite hostile
# ThreadSanitizer: the reading, inflating, detecting and report threads,
# through every scan and parse these suites run.
[ -d build-tsan ] || meson setup build-tsan -Db_sanitize=thread -Db_lundef=false
ninja -C build-tsan
TSAN_OPTIONS=halt_on_error=1 \
    meson test -C build-tsan --print-errorlogs --suite unit --suite golden \
        --suite scan --suite state --suite siem
# libFuzzer: each target for a bounded time (FUZZ_SECONDS, default 60),
# seeded from testdata/ (and the real-log corpus when it is there); a crash
# fails the run and its input lands in tests/fuzz/crashes/.
seeds=""
[ -d ../shared/corpus ] && seeds="-s ../shared/corpus"
# shellcheck disable=SC2086
tests/fuzz/run.sh $seeds "${FUZZ_SECONDS:-60}" build-fuzz
