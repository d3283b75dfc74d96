"""`darkscan run FLOW`: crawl, analyse, report and gate in one command (for CI pipelines).

The stages are the ones ``darkscan crawl`` and ``darkscan analyze`` run, so this command is
exactly what a CI job would otherwise script by hand, and stays in step with them.
Exit code: the gate's (0 passed, 1 failed); a stage that fails exits with its own code (2 bad
input, 3 device/environment, 130 interrupted: ``--resume`` continues).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Optional

import typer

from rich.text import Text

from darkscan.cli.app import app, console, run_stage
from darkscan.cli.crawl import crawl_and_summarise
from darkscan.cli.gate import EXIT_FAILED, EXIT_PASS, gate_overrides, print_gate
from darkscan.crawl import load_flow
from darkscan.errors import UsageError
from darkscan.report.gate import evaluate, resolve_thresholds
from darkscan.report.html import write_report
from darkscan.report.i18n import normalise_lang
from darkscan.report.junit import write_junit
from darkscan.report.load import load_run


def default_out(flow: Path, now: datetime | None = None) -> Path:
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", flow.stem) or "run"
    return Path("runs") / f"{stem}-{stamp}"


@app.command("run")
def run_command(
    flow: Path = typer.Argument(..., metavar="FLOW", help="Flow file (target, goals, gate:)."),
    out: Optional[Path] = typer.Option(
        None, "--out", help="Run folder to write (default runs/<flow>-<date>-<time>)."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted run in OUT "
                                "(replays its step log, then goes on, analyses, reports, gates)."),
    serial: Optional[str] = typer.Option(
        None, "--serial", help="Device serial; overrides the flow's target serial."),
    lang: str = typer.Option("en", "--lang", help="Report UI language: en or zh."),
    junit: Optional[Path] = typer.Option(
        None, "--junit", help="JUnit XML path (default RUN/junit.xml)."),
    max_cancel_steps: Optional[int] = typer.Option(
        None, "--max-cancel-steps", help="Most steps cancelling may take (default 4)."),
    max_cancel_ratio: Optional[float] = typer.Option(
        None, "--max-cancel-ratio", help="Most cancel steps / subscribe steps (default 2.0)."),
    fail_on: Optional[str] = typer.Option(
        None, "--fail-on", help="Fail on findings of this severity or above: "
        "high|medium|low|info|none (default high)."),
    require_recommendation_off: Optional[bool] = typer.Option(
        None, "--require-recommendation-off/--no-require-recommendation-off",
        help="Fail unless a switch turning personalised recommendation off was found."),
    max_delete_account_steps: Optional[int] = typer.Option(
        None, "--max-delete-account-steps", help="Most steps deleting the account may take."),
    max_privacy_steps: Optional[int] = typer.Option(
        None, "--max-privacy-steps", help="Most steps to the privacy policy."),
    require_verified: Optional[bool] = typer.Option(
        None, "--require-verified/--no-require-verified",
        help="Fail unless every reported goal path replayed from a cold start."),
) -> int:
    """Crawl, analyse, report and gate in one go; exits with the gate's code (0 pass, 1 fail)."""
    lang = normalise_lang(lang)
    if resume and out is None:
        raise UsageError("--resume needs --out: the run folder to continue")
    overrides = gate_overrides(max_cancel_steps, max_cancel_ratio, fail_on,
                               require_recommendation_off, max_delete_account_steps,
                               max_privacy_steps, require_verified)
    thresholds = resolve_thresholds(flow, overrides)  # bad flags fail before a long crawl
    f = load_flow(flow)
    run_dir = out if out is not None else default_out(flow)
    console.rule("[bold]crawl")
    again = ["darkscan", "run", str(flow), "--out", str(run_dir)] + \
        (["--serial", serial] if serial else [])
    crawl_and_summarise(f, run_dir, again=again, resume=resume, serial=serial)
    console.rule("[bold]analyze")
    rc = run_stage(["analyze", str(run_dir)])
    if rc != 0:
        return rc
    console.rule("[bold]report and gate")
    run = load_run(run_dir, require_metrics=True)
    result = evaluate(run, thresholds)
    index = write_report(run, lang=lang, gate=result)
    junit_path = write_junit(result, junit if junit is not None else run_dir / "junit.xml",
                             app=run.app_package or run.app_label)
    console.print(Text(f"report: {index}\njunit:  {junit_path}"), highlight=False)
    print_gate(result)
    return EXIT_PASS if result.passed else EXIT_FAILED
