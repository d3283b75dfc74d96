"""`darkscan gate RUN`: check a run against CI thresholds; exit 0 pass, 1 failed, 2 bad input."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Optional

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from darkscan.cli.app import app, console
from darkscan.report.gate import GateResult, Outcome, evaluate, thresholds_for
from darkscan.report.junit import write_junit
from darkscan.report.load import load_run

EXIT_PASS = 0
EXIT_FAILED = 1

_STYLE = {Outcome.PASS: "green", Outcome.FAIL: "bold red", Outcome.SKIP: "dim"}


def gate_overrides(max_cancel_steps: Optional[int], max_cancel_ratio: Optional[float],
                   fail_on: Optional[str], require_recommendation_off: Optional[bool],
                   max_delete_account_steps: Optional[int],
                   max_privacy_steps: Optional[int],
                   require_verified: Optional[bool] = None) -> dict[str, Any]:
    """Flag values as gate overrides (flags not given are left out)."""
    given = {"max_cancel_steps": max_cancel_steps, "max_cancel_ratio": max_cancel_ratio,
             "fail_on": fail_on, "require_recommendation_off": require_recommendation_off,
             "max_delete_account_steps": max_delete_account_steps,
             "max_privacy_steps": max_privacy_steps, "require_verified": require_verified}
    return {k: v for k, v in given.items() if v is not None}


def print_gate(result: GateResult) -> None:
    table = Table(title="darkscan gate", show_lines=False)
    for col in ("rule", "result", "measured", "limit", "detail"):
        table.add_column(col, overflow="fold")
    for r in result.results:
        # measured values and messages may quote app text: never parse them as markup
        table.add_row(Text(r.rule), Text(r.outcome.value, style=_STYLE[r.outcome]), Text(r.measured),
                      Text(r.limit), Text(r.message))
    console.print(table)
    if result.passed:
        console.print("[bold green]gate passed[/]")
    else:
        why = "; ".join(r.message for r in result.failures)
        console.print(f"[bold red]gate FAILED:[/] {escape(why)}", highlight=False)


def run_gate(run_dir: Path, flow: Path | None, overrides: dict[str, Any],
             junit: Path | None) -> GateResult:
    started = time.perf_counter()
    run = load_run(run_dir, require_metrics=True)
    result = evaluate(run, thresholds_for(run, flow, overrides))
    if junit is not None:
        write_junit(result, junit, app=run.app_package or run.app_label,
                    elapsed=time.perf_counter() - started)
    return result


@app.command("gate")
def gate_command(
    run_dir: Path = typer.Argument(..., metavar="RUN", help="Run folder (from crawl/analyze)."),
    flow: Optional[Path] = typer.Option(
        None, "--flow", help="Flow file whose gate: section sets thresholds "
        "(default: the flow named in RUN/run.json, if it still exists)."),
    max_cancel_steps: Optional[int] = typer.Option(
        None, "--max-cancel-steps", help="Most steps cancelling may take (default 4)."),
    max_cancel_ratio: Optional[float] = typer.Option(
        None, "--max-cancel-ratio", help="Most cancel steps / subscribe steps (default 2.0)."),
    fail_on: Optional[str] = typer.Option(
        None, "--fail-on", help="Fail on any finding of this severity or above: "
        "high|medium|low|info|none (default high)."),
    require_recommendation_off: Optional[bool] = typer.Option(
        None, "--require-recommendation-off/--no-require-recommendation-off",
        help="Fail unless a switch turning personalised recommendation off was found."),
    max_delete_account_steps: Optional[int] = typer.Option(
        None, "--max-delete-account-steps", help="Most steps deleting the account may "
        "take (default: not checked)."),
    max_privacy_steps: Optional[int] = typer.Option(
        None, "--max-privacy-steps", help="Most steps to the privacy policy "
        "(default: not checked; the 2019 认定方法 says more than 4 is hard to reach)."),
    require_verified: Optional[bool] = typer.Option(
        None, "--require-verified/--no-require-verified",
        help="Fail unless every reported goal path replayed from a cold start."),
    junit: Optional[Path] = typer.Option(
        None, "--junit", help="Also write JUnit XML here (one testcase per rule)."),
) -> int:
    """Check a run against CI thresholds: exit 0 passed, 1 failed, 2 bad input."""
    overrides = gate_overrides(max_cancel_steps, max_cancel_ratio, fail_on,
                               require_recommendation_off, max_delete_account_steps,
                               max_privacy_steps, require_verified)
    result = run_gate(run_dir, flow, overrides, junit)
    print_gate(result)
    return EXIT_PASS if result.passed else EXIT_FAILED
