#!/bin/sh
# Install the Debian packages ftpaudit needs (Debian 12).
#   tools/deps.sh          to build and run it
#   tools/deps.sh test     also what the test suite needs
# Runs apt-get through sudo unless already root; does nothing when every
# package is already installed (so it works offline after the first time).
set -e
pkgs="meson ninja-build pkg-config gcc libc6-dev libmaxminddb-dev libcjson-dev zlib1g-dev"
# ISA-L: the faster gzip inflater (zlib is the fallback when it is absent).
pkgs="$pkgs libisal-dev"
if [ "${1:-}" = test ]; then
    # python3 runs the golden/corpus/report tests; clang and its runtime
    # build the libFuzzer targets; the MMDB writer builds test databases;
    # mawk and gzip serve the benchmark and the rotated-log tests.
    # chromium and fonts render the HTML report in a real browser; groff
    # checks the man page.
    pkgs="$pkgs python3 gzip mawk clang libclang-rt-14-dev libmaxmind-db-writer-perl"
    pkgs="$pkgs chromium fonts-dejavu-core groff-base bash-completion"
fi
# The end-to-end suite's servers, clients and test users (root only; under
# a second when everything is there already).
if [ "${1:-}" = test ] && [ "$(id -u)" -eq 0 ]; then
    "$(dirname "$0")/../tests/e2e/install.sh"
fi
missing=""
for p in $pkgs; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
echo "installing:$missing" >&2
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
# shellcheck disable=SC2086
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
