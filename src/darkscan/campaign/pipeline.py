"""One app of a campaign, on whichever node runs it: crawl, then analyse + report + gate.

The two stages are separate tasks (a phone is held only while crawling). Both work on the app's
run folder under the campaign folder, so they may run on different nodes sharing that folder.
A stage that is run again continues: a finished crawl is kept, an interrupted one continues
with the crawler's own ``--resume`` (replaying its log), and a crawl whose replay cannot be
reproduced (a phone that kept state) starts afresh in place.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import time
from collections import Counter
from pathlib import Path
from typing import Any

from darkscan.campaign.spec import AppEntry
from darkscan.crawl.flow import Budget, Flow, Target

FINISHED = ("done", "budget", "goal", "exhausted")


def flow_for(entry: AppEntry) -> Flow:
    """The flow an entry is crawled with (its own file, or the defaults for an app/package)."""
    from dataclasses import replace

    from darkscan.crawl.flow import load_flow, virtual_flow

    if entry.kind == "flow":
        flow = load_flow(entry.source)
    elif entry.kind == "app":
        flow = virtual_flow(Path(entry.source), name=entry.name)
    else:
        flow = Flow(path=Path(f"package-{entry.source}"), name=entry.name,
                    target=Target(package=entry.source))
    if entry.max_steps or entry.max_minutes:
        flow = replace(flow, budget=Budget(entry.max_steps or flow.budget.max_steps,
                                           entry.max_minutes or flow.budget.max_minutes))
    return flow


def note_attempt(run_dir: Path, stage: str, **extra: Any) -> None:
    """Append who runs a stage (pid, host) to ``<run>.attempts.jsonl`` beside the run folder."""
    rec = {"stage": stage, "pid": os.getpid(), "host": socket.gethostname(),
           "time": round(time.time(), 3), **extra}
    with open(run_dir.parent / f"{run_dir.name}.attempts.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps(rec) + "\n")


def crawl_finished(run_dir: Path) -> bool:
    try:
        info = json.loads((run_dir / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return info.get("status") in FINISHED and (run_dir / "metrics.json").is_file()


def crawl_app(entry: AppEntry, run_dir: Path, serial: str | None = None) -> dict[str, Any]:
    """Crawl ``entry`` into ``run_dir`` (continuing an interrupted crawl); a short summary."""
    from darkscan.crawl import crawl
    from darkscan.errors import DeviceError

    if crawl_finished(run_dir):
        return {"crawl": "kept"}
    flow = flow_for(entry)
    resume = (run_dir / "run.json").is_file()
    try:
        r = crawl(flow, run_dir, resume=resume, serial=serial)
    except DeviceError as e:
        if not (resume and "could not reproduce" in e.message):
            raise
        # the app (a phone's state) behaves differently than when the log was written
        shutil.rmtree(run_dir)
        r = crawl(flow, run_dir, serial=serial)
        return {"crawl": r.status, "steps": r.steps, "restarted": True}
    return {"crawl": r.status, "steps": r.steps, "replayed": r.replayed}


def finish_app(entry: AppEntry, run_dir: Path, gate: dict[str, Any], lang: str) -> dict[str, Any]:
    """Analyse, report and gate a crawled app; the app's row of the campaign index."""
    from darkscan.analysis import analyze_run
    from darkscan.report.gate import Outcome, resolve_thresholds
    from darkscan.report.gate import evaluate
    from darkscan.report.html import write_report
    from darkscan.report.junit import write_junit
    from darkscan.report.load import load_run

    flow_file = Path(entry.source) if entry.kind == "flow" else None
    thresholds = resolve_thresholds(flow_file).merged(gate, source="campaign")
    analyze_run(run_dir, jobs=1)
    run = load_run(run_dir, require_metrics=True)
    result = evaluate(run, thresholds)
    index = write_report(run, lang=lang, gate=result)
    write_junit(result, run_dir / "junit.xml", app=run.app_package or run.app_label)
    metrics = json.loads((run_dir / "metrics.json").read_text(encoding="utf-8"))
    goals = {name: {"found": bool(g.get("found")), "steps": g.get("steps"),
                    "verified": g.get("verified")}
             for name, g in (metrics.get("goals") or {}).items()}
    severities = Counter(f.severity.value for f in (run.findings or []))
    return {
        "goals": goals,
        "findings": dict(severities),
        "gate": "pass" if result.passed else "fail",
        "rules": [{"rule": r.rule, "title": r.title, "outcome": r.outcome.value,
                   "measured": r.measured, "limit": r.limit, "message": r.message}
                  for r in result.results],
        "report": str(index.relative_to(run_dir.parent.parent)),
        "failed_rules": [r.rule for r in result.results if r.outcome is Outcome.FAIL],
    }
