"""A campaign interrupted with Ctrl-C and continued with --resume: finished apps are kept as they
are, the crawl that was cut off continues from its own step log (no step lost or doubled), and
every app ends with the metrics and findings of an uninterrupted `darkscan run`.

`darkscan batch` runs as its own process on a local Ray instance; SIGINT goes to it (as Ctrl-C
would) while a long crawl is part-way. The small app was finished by an earlier batch into the
same folder (so the interruption certainly comes after it, whatever the machine's speed)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from darkscan.cli import main
from darkscan.evaluation.appgen import GenOptions, generate, write

pytest.importorskip("ray")
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
SMALL = REPO / "tests" / "apps" / "rec_deep.yaml"


def _json(p: Path) -> dict:
    return json.loads(p.read_text(encoding="utf-8"))


def _lines(p: Path) -> list[str]:
    return p.read_text(encoding="utf-8").splitlines() if p.is_file() else []


def _moves(run: Path) -> list[tuple]:
    """The crawl's steps without their timings: (step, from, action, to, event)."""
    return [(s["step"], s["from"], s["action"], s["to"], s["event"])
            for s in map(json.loads, _lines(run / "steps.jsonl"))]


def test_interrupted_campaign_resumes_without_losing_a_step(tmp_path: Path) -> None:
    big = write(generate(7, GenOptions(min_screens=260, max_screens=300, fault_p=0.0,
                                       launch_p=0.0)), tmp_path / "big.yaml")
    first, campaign = tmp_path / "first.yaml", tmp_path / "campaign.yaml"
    first.write_text(yaml.safe_dump({"name": "first", "apps": [
        {"app": str(SMALL), "name": "small"}]}), "utf-8")
    campaign.write_text(yaml.safe_dump({"name": "interrupted", "apps": [
        {"app": str(SMALL), "name": "small"}, {"app": str(big), "name": "big"}]}), "utf-8")
    out = tmp_path / "out"
    assert main(["batch", str(first), "--out", str(out), "--cpus", "2"]) in (0, 1)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "RAY_USAGE_STATS_ENABLED": "0"}
    cmd = [sys.executable, "-m", "darkscan", "batch", str(campaign), "--out", str(out),
           "--cpus", "2", "--resume"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    apps = out / "apps"
    small_row = (apps / "small.result.json").read_text(encoding="utf-8")
    cut_at = 0
    try:
        end = time.monotonic() + 300
        while proc.poll() is None and time.monotonic() < end:
            steps = len(_lines(apps / "big" / "steps.jsonl"))
            if steps >= 5 and not (apps / "big" / "metrics.json").is_file():
                cut_at = steps
                proc.send_signal(signal.SIGINT)
                break
            time.sleep(0.02)
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert cut_at, f"the big crawl was not caught part-way: {stdout[-2000:]}{stderr[-2000:]}"
    assert proc.returncode == 130, stderr[-2000:]
    assert "--resume" in stderr and "Traceback" not in stderr
    assert not (apps / "big.result.json").exists()
    kept = len(_lines(apps / "big" / "steps.jsonl"))
    assert kept >= cut_at

    assert main(["batch", str(campaign), "--out", str(out), "--cpus", "2", "--resume"]) in (0, 1)
    rows = {r["name"]: r for r in _json(out / "summary.json")["apps"]}
    assert all(r["status"] == "done" for r in rows.values()), rows
    assert (apps / "small.result.json").read_text(encoding="utf-8") == small_row   # kept
    small_attempts = [json.loads(x) for x in _lines(apps / "small.attempts.jsonl")]
    assert [a["stage"] for a in small_attempts] == ["crawl", "analyze"]            # not rerun
    assert rows["big"]["replayed"] >= kept > 0      # the new attempt replayed the old log

    for name, app in (("small", SMALL), ("big", big)):
        flow = tmp_path / f"{name}.flow.yaml"
        flow.write_text(yaml.safe_dump({"name": name, "target": {"app": str(app)}}), "utf-8")
        alone = tmp_path / "alone" / name
        assert main(["run", str(flow), "--out", str(alone)]) in (0, 1)
        run = apps / name
        assert _moves(run) == _moves(alone), name     # every step once, in order
        assert _json(run / "metrics.json") == _json(alone / "metrics.json"), name
        assert _json(run / "findings.json") == _json(alone / "findings.json"), name
