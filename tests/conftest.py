"""Shared test fixtures. Area-specific fixtures live in each tests/<area>/conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CONTEXTDP = REPO.parent / "shared" / "corpus" / "contextdp-dev"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def contextdp_dir() -> Path:
    """The ContextDP dev corpus beside the checkout; tests using it skip cleanly without it."""
    if not (CONTEXTDP / "labels.json").is_file():
        pytest.skip("contextdp-dev corpus not present beside the checkout")
    return CONTEXTDP
