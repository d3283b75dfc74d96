"""`darkscan analyze RUN`: run every detector over a crawl's run folder -> RUN/findings.json."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from darkscan.cli.app import app, console, console_err


@app.command("analyze")
def analyze_command(
    run_dir: Path = typer.Argument(..., metavar="RUN", help="Run folder written by crawl."),
    only: list[str] | None = typer.Option(None, "--only", help="Run only these detectors "
                                             "(module name or category); repeatable. Their "
                                             "findings replace theirs in an existing "
                                             "RUN/findings.json; the other detectors' "
                                             "findings are kept."),
    jobs: int | None = typer.Option(None, "--jobs", "-j", min=1,
                                    help="Cores to use: one single-threaded worker process "
                                         "each (default: DARKSCAN_JOBS or the number of "
                                         "cores); 1 = in this process, one thread."),
) -> int:
    """Analyse every screen of a run (OCR where the hierarchy lacks text) and the screen graph;
    write RUN/findings.json.

    With --only, just those detectors run: their findings replace their earlier ones in
    RUN/findings.json and every other detector's findings stay, in the order a full analysis
    writes them (screen by screen, then the graph rules).

    Screens run in parallel worker processes, one per core (--jobs), each with its own OCR
    engine; OCR results are cached on disk (DARKSCAN_CACHE_DIR, default ~/.cache/darkscan), so
    re-analysing a run, or a screen seen in an earlier run, reads no text twice.
    """
    from darkscan.analysis import analyze_run
    from darkscan.workers import use_jobs

    bar = Progress(TextColumn("[bold]analyze[/]"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.description}"), TimeElapsedColumn(),
                   console=console_err, transient=True)
    task = bar.add_task("", total=None)

    def progress(sid: str, done: int, total: int) -> None:
        # the bar starts with the first screen: a bad --only or a corrupt run folder (both
        # checked before) is then a single line on stderr
        if not bar.live.is_started:
            bar.start()
        bar.update(task, total=total, completed=done, description=escape(sid))

    jobs = use_jobs(jobs)
    try:
        result = analyze_run(run_dir, progress=progress, only=only or None, jobs=jobs)
    finally:
        if bar.live.is_started:
            bar.stop()
    by_sev = Counter(f.severity.value for f in result.findings)
    console.print(
        f"{result.screens} screens"
        f"{f' (+{result.other_screens} of other apps, not scanned)' if result.other_screens else ''}"
        f", {len(result.findings)} findings "
        f"({', '.join(f'{n} {s}' for s, n in sorted(by_sev.items())) or 'none'})"
        f"{f', {result.kept} kept from other detectors' if result.kept else ''}"
        f" in {result.seconds:.1f} s (OCR {result.ocr_seconds:.1f} s) -> "
        f"{escape(str(run_dir / 'findings.json'))}", highlight=False)
    for sid, err in result.errors.items():
        console_err.print(f"[yellow]skipped screen {escape(sid)}:[/] {escape(err)}",
                          highlight=False)
    for sid, warnings in result.warnings.items():
        for w in warnings:
            console_err.print(f"darkscan: warning: screen {escape(sid)}: {escape(w)}",
                              highlight=False)
    return 0
