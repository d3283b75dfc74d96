"""`darkscan demo [--out DIR]`: crawl the bundled Chinese demo app, then analyse and report."""

from __future__ import annotations

from pathlib import Path

import typer

from rich.text import Text

from darkscan.cli.app import app, console, run_stage
from darkscan.cli.crawl import crawl_and_summarise
from darkscan.crawl.flow import Budget, bundled_app, virtual_flow

DEMO_APP = "kanju_zh"


@app.command("demo")
def demo_command(
    out: Path = typer.Option(Path("darkscan-demo"), "--out",
                             help="Folder to write the run into (default ./darkscan-demo)."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted demo crawl."),
) -> int:
    """Crawl the bundled Chinese demo app (看剧) on the virtual device, analyse it, report."""
    flow = virtual_flow(bundled_app(DEMO_APP), budget=Budget(max_steps=400, max_minutes=15),
                        name=DEMO_APP)
    crawl_and_summarise(flow, out, again=["darkscan", "demo", "--out", str(out)], resume=resume)
    for argv in (["analyze", str(out)], ["report", str(out)]):
        rc = run_stage(argv)
        if rc != 0:
            return rc
    console.print(Text(f"demo output: {out.resolve()}"), highlight=False)
    return 0

