#!/usr/bin/env bash
# Install what darkscan needs on a Debian machine: a CJK font (the virtual device renders
# Chinese screens), optionally Chromium (the report's browser tests), and the package itself in
# ./.venv. Safe to run again: it skips what is already there.
#   scripts/bootstrap.sh            runtime only
#   scripts/bootstrap.sh --dev      + test tools and Chromium
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[ "${1:-}" = "--dev" ] && dev=1

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

need_apt=()
fc-list :lang=zh 2>/dev/null | grep -q . || need_apt+=(fonts-noto-cjk fontconfig)
python3 -c "import venv, ensurepip" 2>/dev/null || need_apt+=(python3-venv)
if [ "$dev" = 1 ] && [ ! -x /usr/bin/chromium ]; then need_apt+=(chromium); fi
if [ "${#need_apt[@]}" -gt 0 ]; then
    echo "darkscan: installing Debian packages: ${need_apt[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
    echo "darkscan: creating .venv"
    python3 -m venv .venv
fi
extra=""
[ "$dev" = 1 ] && extra="[dev]"
stamp=".venv/.darkscan-installed$extra"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "darkscan: installing Python packages into .venv (first run takes a minute)"
    # (drop pip's notes about local index folders this machine's pip.conf may name)
    .venv/bin/python -m pip install -q --upgrade pip 2>&1 | { grep -v "^WARNING: Location" || true; }
    .venv/bin/python -m pip install -q -e ".$extra" 2>&1 | { grep -v "^WARNING: Location" || true; }
    touch "$stamp"
fi
