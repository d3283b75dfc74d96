"""A crawl killed half-way (SIGKILL, mid-run) and resumed equals an uninterrupted crawl."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from darkscan.cli import main

REPO = Path(__file__).resolve().parents[2]
FLOW = REPO / "flows" / "kanju_zh.yaml"


def _graph(out: Path) -> dict:
    g = json.loads((out / "graph.json").read_text())
    return g


def _metrics(out: Path) -> dict:
    return json.loads((out / "metrics.json").read_text())


def _lines(out: Path) -> int:
    p = out / "steps.jsonl"
    return len(p.read_text().splitlines()) if p.exists() else 0


@pytest.mark.slow
def test_killed_crawl_resumes_to_the_same_graph_and_metrics(tmp_path: Path) -> None:
    whole = tmp_path / "whole"
    assert main(["crawl", str(FLOW), "--out", str(whole), "--quiet"]) == 0
    total = _lines(whole)
    assert total > 60

    cut = tmp_path / "cut"
    # a slow-down hook makes the kill land mid-crawl on any machine
    code = ("import time, darkscan.crawl.runfolder as rf\n"
            "orig = rf.RunWriter.append_step\n"
            "def slow(self, rec):\n"
            "    orig(self, rec); time.sleep(0.02)\n"
            "rf.RunWriter.append_step = slow\n"
            "from darkscan.cli import main\n"
            f"main(['crawl', {str(FLOW)!r}, '--out', {str(cut)!r}, '--quiet'])\n")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _lines(cut) < total // 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = _lines(cut)
    assert 0 < done_before < total, "the kill must land half-way"
    assert json.loads((cut / "run.json").read_text())["status"] == "running"

    assert main(["crawl", str(FLOW), "--out", str(cut), "--resume", "--quiet"]) == 0
    assert _graph(cut) == _graph(whole)
    assert _metrics(cut) == _metrics(whole)
    steps_whole = [json.loads(x) for x in (whole / "steps.jsonl").read_text().splitlines()]
    steps_cut = [json.loads(x) for x in (cut / "steps.jsonl").read_text().splitlines()]
    strip = lambda s: {k: v for k, v in s.items() if k not in ("time", "decide_ms")}  # noqa: E731
    assert [strip(s) for s in steps_cut] == [strip(s) for s in steps_whole]
    run = json.loads((cut / "run.json").read_text())
    assert run["status"] == "done" and run["resumes"] == 1


def test_resume_needs_an_existing_run(tmp_path: Path) -> None:
    assert main(["crawl", str(FLOW), "--out", str(tmp_path / "none"), "--resume"]) == 2


def test_refuses_to_overwrite_a_run(tmp_path: Path) -> None:
    out = tmp_path / "r"
    out.mkdir()
    (out / "run.json").write_text("{}")
    assert main(["crawl", str(FLOW), "--out", str(out), "--quiet"]) == 2
