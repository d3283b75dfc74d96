#!/usr/bin/env bash
# Quick start, part 2: install the test tools and run the whole test suite (slow tests included).
#
# As root (CI) the tests run in a private network namespace that has only a loopback interface,
# so every server a test starts (fake adb / uiautomator2 servers, a two-node Ray cluster) can
# only ever be reached on 127.0.0.1: Ray would otherwise advertise and bind the host's address.
# Without root (or without unshare / ip) the tests run as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh --dev
if [ "$(id -u)" = "0" ] && command -v unshare >/dev/null && command -v ip >/dev/null \
        && unshare --net true 2>/dev/null; then
    exec unshare --net sh -c 'ip link set lo up && exec "$@"' sh \
        .venv/bin/python -m pytest -q "$@"
fi
exec .venv/bin/python -m pytest -q "$@"
