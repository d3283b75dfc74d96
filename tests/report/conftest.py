"""Report-area fixtures: run folders written from rendered screens (tests/report/synthrun.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import synthrun  # noqa: E402


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
