"""`darkscan batch CAMPAIGN`: audit many apps in one campaign, on Ray.

Without --address a local Ray instance starts on this machine (loopback only, no dashboard) and
stops at the end; --address auto / ray://host:port / host:port uses an existing cluster.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any, Optional

import typer
from rich.markup import escape
from rich.text import Text

from darkscan.cli.app import app, console, console_err
from darkscan.errors import Interrupted, UsageError


@app.command("batch")
def batch_command(
    campaign: Path = typer.Argument(..., metavar="CAMPAIGN", help="Campaign file (YAML)."),
    out: Optional[Path] = typer.Option(
        None, "--out", help="Campaign folder (default: the file's out:, else "
        "runs/<campaign file name>); every node must reach it."),
    address: Optional[str] = typer.Option(
        None, "--address", help="Ray cluster: auto, ray://host:port or host:port "
        "(default: a local Ray instance on this machine)."),
    resume: bool = typer.Option(False, "--resume", help="Keep finished apps, continue the "
                                "others (interrupted crawls continue their own logs)."),
    cpus: Optional[int] = typer.Option(None, "--cpus", min=1, help="CPUs of the local Ray "
                                       "instance (default: all cores)."),
    retries: int = typer.Option(2, "--retries", min=0, help="Times Ray retries a task whose "
                                "worker died or whose device failed."),
    device_resource: str = typer.Option("android", "--device-resource",
                                        help="Ray resource a node advertises per phone."),
    gpus_per_app: float = typer.Option(0.0, "--gpus-per-app", min=0.0, max=1.0,
                                       help="Share of a GPU each app's analysis takes (e.g. "
                                            "0.25: four apps per GPU); its OCR then runs on "
                                            "CUDA (needs onnxruntime-gpu on the GPU nodes). "
                                            "Default 0: CPUs only."),
) -> int:
    """Audit many apps in one campaign: crawl, analyse, report and gate each, on Ray (this
    machine or a cluster).

    Writes CAMPAIGN-FOLDER/apps/<app>/ (run folders with their reports), index.html,
    junit.xml and summary.json. Exit code 0 when every app passed its gate, 1 when some app
    failed it, 2 bad input, 3 when some app could not be audited (its row says why).
    """
    from darkscan.campaign.index import write_outputs, exit_code
    from darkscan.campaign.spec import load_campaign

    c = load_campaign(campaign)
    folder = out or c.out or Path("runs") / campaign.stem
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder}: exists and is not a folder")
    if not resume and (folder / "apps").is_dir() and any((folder / "apps").iterdir()):
        raise UsageError(f"{folder} already holds a campaign; continue it with --resume or "
                         "choose another --out")
    try:
        import ray  # noqa: F401
    except ImportError:
        from darkscan.errors import EnvironmentProblem

        raise EnvironmentProblem("ray is not installed", hint="pip install ray") from None
    from darkscan.campaign.cluster import run_campaign

    where = address or "a local Ray instance"
    console.print(f"campaign [bold]{escape(c.name)}[/]: {len(c.apps)} apps on "
                  f"{escape(str(where))} -> {escape(str(folder))}",
                  highlight=False)

    def event(name: str, status: str, row: dict[str, Any]) -> None:
        if status == "crawled":
            console.print(f"  {escape(name)}: crawled ({escape(str(row.get('crawl')))})",
                          highlight=False)
        elif status == "done":
            console.print(f"  {escape(name)}: gate [bold]{escape(str(row.get('gate')))}[/]",
                          highlight=False)
        else:
            console.print(f"  {escape(name)}: [red]failed[/] in "
                          f"{escape(str(row.get('stage')))}: {escape(str(row.get('error')))}",
                          highlight=False)

    again = ["darkscan", "batch", str(campaign), "--out", str(folder)] + \
        (["--address", address] if address else []) + ["--resume"]
    try:
        rows = run_campaign(c, folder, address=address, resume=resume, num_cpus=cpus,
                            retries=retries, device_resource=device_resource,
                            gpus_per_app=gpus_per_app, on_event=event)
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted; {folder} keeps every finished app and crawl step",
                          hint=f"continue with: {shlex.join(again)}") from None
    except ConnectionError as e:
        from darkscan.errors import EnvironmentProblem

        raise EnvironmentProblem(f"cannot reach the Ray cluster {address}: {e}") from None
    paths = write_outputs(folder, c.name, rows)
    rc = exit_code(rows)
    console.print(Text(f"index:   {paths['index']}\njunit:   {paths['junit']}\n"
                       f"summary: {paths['summary']}"), highlight=False)
    if rc:
        console_err.print({1: "some app failed its gate", 3: "some app could not be audited"}[rc],
                          highlight=False)
    return rc
