"""The ``darkscan`` command line: small command modules over the library API.

Each command lives in its own module and registers itself on :data:`app`; a command's module
is imported only when that command runs (``cli.app.COMMANDS``), so ``darkscan --help`` and each
command start without loading the others. ``main(argv)`` returns an exit code instead of
exiting, so the CLI is testable in-process.
"""

from __future__ import annotations

import sys
from typing import Sequence

import click
import typer
from rich.markup import escape

from darkscan.cli.app import ReportedExit, app, console_err
from darkscan.errors import DarkscanError
from darkscan.workers import single_threaded_blas

__all__ = ["app", "main"]

# typer >= 0.20 vendors click as typer._click: its exceptions are not click's, catch both.
try:
    from typer._click import exceptions as _typer_click
except ImportError:  # older typer: plain click
    _typer_click = click.exceptions
_EXIT = (click.exceptions.Exit, typer.Exit)
_ABORT = (click.exceptions.Abort, typer.Abort)
_CLICK_ERRORS = (click.ClickException, _typer_click.ClickException)
EXIT_INTERRUPTED = 130  # typer turns Ctrl-C inside a command into this exit code, silently


def _one_line(text: str) -> str:
    """Newlines and other line breaks inside a message (from a file or an app) as spaces."""
    return " ".join(str(text).splitlines()) if text else ""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; known errors become one line on stderr and an exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    single_threaded_blas()
    try:
        rv = app(args=args, prog_name="darkscan", standalone_mode=False)
    except _EXIT as e:
        return int(e.exit_code or 0)
    except _ABORT:
        console_err.print("Aborted.")
        return EXIT_INTERRUPTED
    except _CLICK_ERRORS as e:
        e.show()
        return int(e.exit_code)
    except DarkscanError as e:
        console_err.print(f"[bold red]darkscan: error:[/] {escape(_one_line(e.message))}",
                          markup=True, highlight=False)
        if e.hint:
            console_err.print(f"  hint: {escape(_one_line(e.hint))}", highlight=False)
        return e.exit_code
    except KeyboardInterrupt:
        rv = EXIT_INTERRUPTED
    if rv == EXIT_INTERRUPTED and not isinstance(rv, ReportedExit):
        console_err.print("darkscan: interrupted", highlight=False)
    return int(rv) if isinstance(rv, int) else 0
