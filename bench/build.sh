# shellcheck shell=bash
# Sourced by run.sh and resources.sh: set up BUILD (release) when it is
# new and build the two programs measured.  Sets FTPAUDIT, GEN, buildtype
# and build_note.  Needs ROOT, BUILD, and BENCH_NAME (for messages).
# Only the two programs are built: the tree is shared, and a half-written
# test elsewhere must not stop a benchmark; when they do not build, the
# previous binaries are used (and the header says so).
if [ ! -f "$BUILD/build.ninja" ]; then
    meson setup "$BUILD" "$ROOT" --buildtype=release >/dev/null
fi
# shellcheck disable=SC2034 # buildtype and build_note: for the header
buildtype=$(python3 -c 'import json,sys
for o in json.load(open(sys.argv[1])):
    if o["name"] == "buildtype": print(o["value"])' \
    "$BUILD/meson-info/intro-buildoptions.json" 2>/dev/null || echo "?")
FTPAUDIT=$BUILD/cmd/ftpaudit
GEN=$BUILD/bench/gen_vsftpd
# shellcheck disable=SC2034
build_note=""
if ! ninja -C "$BUILD" cmd/ftpaudit bench/gen_vsftpd >"$BUILD/bench-build.log" 2>&1; then
    if [ -x "$FTPAUDIT" ] && [ -x "$GEN" ]; then
        echo "$BENCH_NAME: WARNING: build failed (see $BUILD/bench-build.log);" \
            "measuring the previous binaries" >&2
        # shellcheck disable=SC2034
        build_note=" - BUILD FAILED, binary of $(date -r "$FTPAUDIT" '+%H:%M')"
    else
        cat "$BUILD/bench-build.log" >&2
        exit 2
    fi
fi
