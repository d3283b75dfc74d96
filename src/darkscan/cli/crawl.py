"""`darkscan crawl FLOW --out RUN [--resume] [--serial X]`: explore an app unattended."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from darkscan.cli.app import app, console
from darkscan.crawl import CrawlResult, crawl, load_flow
from darkscan.crawl.flow import Flow
from darkscan.crawl.signals import Progress as CrawlProgress
from darkscan.errors import DeviceDisconnected, Interrupted
from darkscan.report.gate import resolve_thresholds


def run_crawl(flow: Flow, out: Path, *, resume: bool = False, serial: str | None = None,
              quiet: bool = False) -> CrawlResult:
    """Crawl with a rich progress bar (steps, screens, goals found, last event)."""
    total = flow.budget.max_steps
    columns = (TextColumn("[bold]{task.description}"), BarColumn(),
               TextColumn("{task.completed}/{task.total} steps"),
               TextColumn("{task.fields[info]}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False, disable=quiet) as bar:
        task = bar.add_task(f"crawl {escape(flow.name)}", total=total, info="")

        def hook(p: CrawlProgress) -> None:
            phase = "replay" if p.replaying else p.phase
            info = (f"{phase} · {p.screens} screens · goals {len(p.goals_found)}/{p.goals_total}"
                    + (f" · {p.event}" if p.event else ""))
            bar.update(task, completed=p.step, info=escape(info))

        result = crawl(flow, out, resume=resume, serial=serial, progress=hook)
        bar.update(task, completed=result.steps)
    return result


def crawl_and_summarise(flow: Flow, out: Path, *, again: list[str], resume: bool = False,
                        serial: str | None = None, quiet: bool = False) -> CrawlResult:
    """Crawl, print the summary; Ctrl-C or a lost device keeps the run folder and names the
    command (``again`` + ``--resume``) that continues it."""
    cmd = shlex.join([*again, "--resume"])
    try:
        result = run_crawl(flow, out, resume=resume, serial=serial, quiet=quiet)
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted; {out} keeps every step so far",
                          hint=f"continue with: {cmd}") from None
    except DeviceDisconnected as e:
        e.hint = e.hint or f"once it is back: {cmd}"
        raise
    print_summary(result, out)
    return result


def print_summary(result: CrawlResult, out: Path) -> None:
    m = result.metrics
    cov = m["coverage"]
    console.print(f"[bold]{result.status}[/] after {result.steps} steps: {cov['states']} screens "
                  f"({cov['dialogs']} dialogs), {cov['edges']} edges, {cov['unexplored']} actions "
                  f"left unexplored, {cov['stopped_before']} stopped before (safety)")
    for name, g in m["goals"].items():
        if g["found"]:
            path = " › ".join(str(p["action"]) for p in g["path"])
            console.print(f"  {escape(name)}: [green]{g['steps']} steps[/]  {escape(path)}",
                          highlight=False)
        else:
            console.print(f"  {escape(name)}: [yellow]not found[/] ({escape(str(g['reason']))})",
                          highlight=False)
    cvs = m.get("cancel_vs_subscribe") or {}
    if cvs.get("ratio") is not None:
        console.print(f"  cancel / subscribe: {cvs['cancel_steps']} / {cvs['subscribe_steps']} "
                      f"= {cvs['ratio']}", highlight=False)
    if m.get("faults"):
        console.print(f"  faults met: {escape(', '.join(m['faults']))}", highlight=False)
    gave_up = (m.get("launch") or {}).get("gave_up")
    if gave_up:
        console.print(f"  launch sequence changed: stopped relaunching after "
                      f"{gave_up['relaunches']} relaunches; {gave_up['left']} actions left on "
                      "screens no launch shows any more", highlight=False)
    if result.replayed:
        console.print(f"  resumed: {result.replayed} logged steps replayed", highlight=False)
    console.print(f"run folder: {escape(str(out))}", highlight=False)


@app.command("crawl")
def crawl_command(
    flow: Path = typer.Argument(..., metavar="FLOW", help="Flow file (see docs/flows.md)."),
    out: Path = typer.Option(..., "--out", help="Run folder to write as the crawl goes."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted crawl in OUT "
                                "(replays its step log, then goes on)."),
    serial: Optional[str] = typer.Option(None, "--serial", help="Device serial; overrides the "
                                         "flow's target serial."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress display."),
) -> int:
    """Explore an app unattended and write the run folder (screens, steps, graph, metrics)."""
    f = load_flow(flow)
    resolve_thresholds(flow)  # a bad gate: / thresholds: value fails now, not after the crawl
    again = ["darkscan", "crawl", str(flow), "--out", str(out)]
    crawl_and_summarise(f, out, again=again + (["--serial", serial] if serial else []),
                        resume=resume, serial=serial, quiet=quiet)
    return 0
