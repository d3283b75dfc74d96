"""The typer application every command module registers on."""

from __future__ import annotations

import typer
from rich.console import Console

app = typer.Typer(
    name="darkscan",
    help=(
        "Find dark patterns in Android apps by driving them: crawl screens, read them with "
        "PP-OCR and OpenCV, measure how many steps cancelling takes, report and gate."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

console = Console()
console_err = Console(stderr=True)


class ReportedExit(int):
    """An exit code whose reason a nested stage already printed (main prints nothing more)."""


def run_stage(argv: list[str]) -> int:
    """Run another command as a stage of this one (``darkscan run``, ``darkscan demo``)."""
    from darkscan.cli import main  # darkscan.cli imports this module: import late

    return ReportedExit(main(argv))
