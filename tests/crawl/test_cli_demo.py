"""`darkscan demo --out DIR` crawls the Chinese demo app into DIR."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from darkscan.cli import main


@pytest.mark.slow
def test_demo_writes_metrics(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out)]) == 0
    m = json.loads((out / "metrics.json").read_text())
    assert m["goals"]["cancel_subscription"]["found"]
    assert m["goals"]["recommendation_off"]["reason"] == "exhausted"
    assert json.loads((out / "run.json").read_text())["status"] == "done"
