"""`darkscan --help` and each command import only what they run (modules loaded in a fresh
interpreter; ``python -X importtime -m darkscan --help`` shows the same)."""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from darkscan.cli.app import COMMANDS, app, load_command

REPO = Path(__file__).resolve().parents[1]


def imported(*args: str) -> set[str]:
    """darkscan's modules loaded by running ``darkscan ARGS`` in a fresh interpreter."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    code = ("import json, sys\nfrom darkscan.cli import main\nrc = main(sys.argv[1:])\n"
            "print(json.dumps([rc, sorted(m for m in sys.modules if m.startswith('darkscan'))]),"
            " file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                       env=env, timeout=120)
    rc, mods = json.loads(r.stderr.strip().splitlines()[-1])
    assert rc == 0, r.stderr[-2000:]
    return set(mods)


def test_help_imports_no_command() -> None:
    mods = imported("--help")
    # darkscan.workers: stdlib only (the BLAS thread default is set before any command loads)
    assert mods <= {"darkscan", "darkscan.cli", "darkscan.cli.app", "darkscan.errors",
                    "darkscan.workers"}, mods


def test_a_command_imports_only_itself() -> None:
    mods = imported("gate", "--help")
    assert "darkscan.cli.gate" in mods
    others = {f"darkscan.cli.{m}" for m, _ in COMMANDS.values()} - {"darkscan.cli.gate"}
    assert not mods & others, mods & others
    assert not any(m.startswith(("darkscan.vision", "darkscan.device.u2")) for m in mods), mods


@pytest.mark.parametrize("name", list(COMMANDS))
def test_listed_summary_is_the_commands_own(name: str) -> None:
    cmd = load_command(name)
    first = inspect.cleandoc(cmd.help or "").split("\n\n")[0]
    assert " ".join(first.split()) == COMMANDS[name][1]


def test_every_command_module_is_listed() -> None:
    modules = {p.stem for p in (REPO / "src/darkscan/cli").glob("*.py")} - {"__init__", "app"}
    for m in modules:
        load_command_names = {c.name for c in app.registered_commands}
        __import__(f"darkscan.cli.{m}")
        new = {c.name for c in app.registered_commands} - load_command_names
        assert new <= set(COMMANDS), f"cli/{m}.py registers {new} not in COMMANDS"
    assert {c.name for c in app.registered_commands} == set(COMMANDS)
