"""The typer application every command module registers on, loading commands lazily.

Each command lives in its own module (``darkscan.cli.<module>``) and registers itself with
``@app.command(name)`` when imported. ``COMMANDS`` names them with the one-line help shown by
``darkscan --help``, so the top-level help and every other command import only the command
they run (a test checks the table against the modules).
"""

from __future__ import annotations

import importlib

import click
import typer
from rich.console import Console
from typer.core import TyperGroup

# name -> (module, summary shown in ``darkscan --help``), in the order the help lists them
COMMANDS: dict[str, tuple[str, str]] = {
    "analyze": ("analyze", "Analyse every screen of a run (OCR where the hierarchy lacks text) "
                           "and the screen graph; write RUN/findings.json."),
    "batch": ("batch", "Audit many apps in one campaign: crawl, analyse, report and gate each, "
                       "on Ray (this machine or a cluster)."),
    "crawl": ("crawl", "Explore an app unattended and write the run folder (screens, steps, "
                       "graph, metrics)."),
    "demo": ("demo", "Crawl the bundled Chinese demo app (看剧) on the virtual device, analyse "
                     "it, report."),
    "devices": ("devices", "List connected Android devices (serial, state, model, Android "
                           "version)."),
    "eval": ("eval", "Score the per-screen detectors against labelled screenshots: P / R / F1 "
                     "per category."),
    "gate": ("gate", "Check a run against CI thresholds: exit 0 passed, 1 failed, 2 bad "
                     "input."),
    "import": ("importcmd", "Import a crawl made by another tool (DroidBot) as a run folder for "
                            "analyze, report and gate."),
    "report": ("report", "Write a static HTML report of a run to RUN/report/index.html."),
    "run": ("run", "Crawl, analyse, report and gate in one go; exits with the gate's code "
                   "(0 pass, 1 fail)."),
    "scan": ("scan", "Analyse screenshots for dark patterns; a bad file is reported and the "
                     "others still run."),
}


class LazyGroup(TyperGroup):
    """A command group that imports a command's module only when that command is resolved;
    the help listing uses the summaries of ``COMMANDS``."""

    _listing = False

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        if cmd_name not in COMMANDS:
            return None
        if self._listing:
            return click.Command(cmd_name, help=COMMANDS[cmd_name][1])
        cmd = load_command(cmd_name)
        self.commands[cmd_name] = cmd
        return cmd

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

    def resolve_command(self, ctx: click.Context,
                        args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in COMMANDS:
            # a typo: suggest among every command, loaded or not
            self.commands.update({n: click.Command(n) for n in COMMANDS if n not in self.commands})
            try:
                return super().resolve_command(ctx, args)
            finally:
                for n in [n for n, c in self.commands.items() if type(c) is click.Command]:
                    del self.commands[n]
        return super().resolve_command(ctx, args)


def load_command(name: str) -> click.Command:
    """Import ``name``'s module (it registers itself on ``app``) and build its click command."""
    importlib.import_module(f"darkscan.cli.{COMMANDS[name][0]}")
    info = next(c for c in app.registered_commands if c.name == name)
    return typer.main.get_command_from_info(
        info, pretty_exceptions_short=app.pretty_exceptions_short,
        rich_markup_mode=app.rich_markup_mode)


app = typer.Typer(
    name="darkscan",
    cls=LazyGroup,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Find dark patterns in Android apps by driving them: crawl screens, read them with
    PP-OCR and OpenCV, measure how many steps cancelling takes, report and gate."""


# soft_wrap: a long line stays one line (CI logs, pipes); the terminal wraps it if it must.
# Everything from files, apps or devices is printed through rich.markup.escape or as Text:
# a label such as "[/]" is text, not markup.
console = Console(soft_wrap=True)
console_err = Console(stderr=True, soft_wrap=True)


class ReportedExit(int):
    """An exit code whose reason a nested stage already printed (main prints nothing more)."""


def run_stage(argv: list[str]) -> int:
    """Run another command as a stage of this one (``darkscan run``, ``darkscan demo``)."""
    from darkscan.cli import main  # darkscan.cli imports this module: import late

    return ReportedExit(main(argv))
