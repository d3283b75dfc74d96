"""Report-area fixtures: run folders written from rendered screens (tests/report/synthrun.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import synthrun


@pytest.fixture(scope="session")
def dark_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthrun.write_run(synthrun.video_app(), tmp_path_factory.mktemp("dark") / "run")


@pytest.fixture(scope="session")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthrun.write_run(synthrun.video_app(clean=True),
                              tmp_path_factory.mktemp("clean") / "run")


@pytest.fixture(scope="session")
def xss_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthrun.write_run(synthrun.xss_app(), tmp_path_factory.mktemp("xss") / "run")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, launched once per session."""
    from pw import ARGS, CHROMIUM

    if not CHROMIUM.is_file():
        pytest.skip("Debian chromium missing at /usr/bin/chromium (CI installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()
