"""`darkscan demo [--out DIR]`: crawl the bundled Chinese demo app, then analyse and report."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import typer

from darkscan.cli.app import app, console
from darkscan.cli.crawl import print_summary, run_crawl
from darkscan.crawl.flow import Budget, bundled_app, virtual_flow

DEMO_APP = "kanju_zh"


def _stage(argv: list[str]) -> int:
    from darkscan.cli import main  # the package imports this module: import late

    return main(argv)


@app.command("demo")
def demo_command(
    out: Path = typer.Option(Path("darkscan-demo"), "--out",
                             help="Folder to write the run into (default ./darkscan-demo)."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted demo crawl."),
) -> int:
    """Crawl the bundled Chinese demo app (看剧) on the virtual device, analyse it, report."""
    flow = virtual_flow(bundled_app(DEMO_APP), budget=Budget(max_steps=400, max_minutes=15),
                        name=DEMO_APP)
    result = run_crawl(flow, out, resume=resume)
    print_summary(result, out)
    rc = 0
    if _has_analyze():
        rc = _stage(["analyze", str(out)])
        if rc != 0:
            return rc
    if importlib.util.find_spec("darkscan.report.html") is not None:
        rc = _stage(["report", str(out)])
        if rc != 0:
            return rc
    console.print(f"demo output: {out.resolve()}", highlight=False)
    return 0


def _has_analyze() -> bool:
    """True once `darkscan analyze RUN` exists (the analysis stage is another module's)."""
    import inspect

    from darkscan.cli import analyze

    if importlib.util.find_spec("darkscan.analysis") is None and \
            importlib.util.find_spec("darkscan.detect.graph") is None:
        return False
    return bool(inspect.signature(analyze.analyze_command).parameters)
