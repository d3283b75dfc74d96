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


@pytest.fixture(scope="session")
def ocr_engine():
    """The PP-OCR engine, loaded once per test session, with an in-memory content cache."""
    from darkscan.vision.ocr import default_engine

    return default_engine()


@pytest.fixture(scope="session")
def canvas():
    """``Canvas(width, height)``: draw text, buttons, checkboxes with Noto CJK (tests/render.py)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("darkscan_test_render", REPO / "tests" / "render.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.Canvas
