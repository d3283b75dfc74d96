"""Crawl fixtures: every bundled and test app is crawled once per session (they are fast)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from darkscan.crawl import Budget, CrawlResult, crawl, virtual_flow
from darkscan.device.virtual import VirtualDevice, load_app

REPO = Path(__file__).resolve().parents[2]
BUNDLED = sorted((REPO / "src" / "darkscan" / "apps").glob("*.yaml"))
TEST_APPS = sorted(p for p in (REPO / "tests" / "apps").glob("*.yaml") if not p.stem.startswith("_"))
ALL_APPS = BUNDLED + TEST_APPS


@dataclass
class Crawled:
    app: Path
    design: dict[str, Any]
    result: CrawlResult
    device: VirtualDevice
    out: Path
    steps: list[dict[str, Any]]


def design_of(app: Path) -> dict[str, Any]:
    return yaml.safe_load(app.read_text(encoding="utf-8")).get("design") or {}


_CACHE: dict[Path, Crawled] = {}


@pytest.fixture(scope="session")
def crawled(tmp_path_factory: pytest.TempPathFactory):
    """crawled(app_path) -> Crawled (run folder written, device kept for its counters)."""

    def get(app: Path) -> Crawled:
        if app not in _CACHE:
            out = tmp_path_factory.mktemp(app.stem) / "run"
            device = VirtualDevice([load_app(app)])
            flow = virtual_flow(app, budget=Budget(max_steps=400, max_minutes=10))
            result = crawl(flow, out, device=device)
            steps = [json.loads(line) for line in (out / "steps.jsonl").read_text().splitlines()]
            _CACHE[app] = Crawled(app, design_of(app), result, device, out, steps)
        return _CACHE[app]

    return get


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001 - pytest's reporter
    """The safety corpus's stops, visible even with -q (see test_safety_corpus.py)."""
    import sys
    mod = sys.modules.get("tests.crawl.test_safety_corpus") or sys.modules.get("test_safety_corpus")
    lines = getattr(mod, "STOP_LINES", None)
    if lines:
        terminalreporter.section(f"safety corpus: {len(lines)} safety stops with evidence")
        for line in lines:
            terminalreporter.write_line(line)
