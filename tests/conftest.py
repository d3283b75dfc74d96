"""Shared test fixtures. Area-specific fixtures live in each tests/<area>/conftest.py."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# OCR results are cached on disk (vision.ocr.cache_dir): tests, and the CLIs they start, use a
# cache of their own session, never the user's.
os.environ.setdefault("DARKSCAN_CACHE_DIR", tempfile.mkdtemp(prefix="darkscan-test-cache-"))
# Commands analyse in this process unless a test asks for workers (--jobs N): the session's
# OCR model is loaded once, not once per worker.
os.environ.setdefault("DARKSCAN_JOBS", "1")

REPO = Path(__file__).resolve().parents[1]
# the shared corpora live beside the checkout (../shared/corpus); DARKSCAN_CORPUS overrides
CORPUS = Path(os.environ.get("DARKSCAN_CORPUS") or REPO.parent / "shared" / "corpus")
CONTEXTDP = CORPUS / "contextdp-dev"
FDROID = CORPUS / "droidbot-fdroid"


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
def fdroid_dir() -> Path:
    """Five DroidBot crawls of F-Droid apps beside the checkout; tests skip cleanly without."""
    if not FDROID.is_dir():
        pytest.skip("droidbot-fdroid corpus not present beside the checkout")
    return FDROID


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


@pytest.fixture(scope="session")
def crawl_tiny():
    """``crawl_tiny(root, flow_text)``: write ``root/tiny.yaml``, crawl it with the real CLI from
    ``root`` (the working directory the flow's paths are relative to) and return ``root/run``."""
    from darkscan.cli import main

    def crawl(root: Path, flow_text: str) -> Path:
        (root / "tiny.yaml").write_text(flow_text, encoding="utf-8")
        cwd = Path.cwd()
        os.chdir(root)
        try:
            assert main(["crawl", "tiny.yaml", "--out", "run", "--quiet"]) == 0
        finally:
            os.chdir(cwd)
        return root / "run"

    return crawl


_APP_SCREENS: dict = {}


@pytest.fixture(scope="session")
def app_screens():
    """``app_screens("kanju_zh")`` -> {screen id: AppScreen(image, xml, density, path)} for a
    bundled app, every screen reached by tapping from launch (tests/detect/appscreens.py);
    explored once per session."""
    import importlib.util

    def get(name: str) -> dict:
        if name not in _APP_SCREENS:
            spec = importlib.util.spec_from_file_location(
                "darkscan_test_appscreens", REPO / "tests" / "detect" / "appscreens.py")
            assert spec and spec.loader
            mod = importlib.util.module_from_spec(spec)
            import sys

            sys.modules[spec.name] = mod  # dataclasses resolve their module by name
            spec.loader.exec_module(mod)
            app = REPO / "src" / "darkscan" / "apps" / f"{name}.yaml"
            if not app.is_file():
                pytest.skip(f"bundled app {name} not present")
            _APP_SCREENS[name] = mod.explore(app)
        return _APP_SCREENS[name]

    return get
