#!/usr/bin/env bash
# Quick start, part 2: install the test tools and run the whole test suite (slow tests included).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh --dev
exec .venv/bin/python -m pytest -q "$@"
