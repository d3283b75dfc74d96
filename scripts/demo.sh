#!/usr/bin/env bash
# Quick start, part 1: install darkscan and crawl the bundled demo app (no phone needed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/darkscan demo "$@"
