"""`darkscan devices`: the Android phones and emulators adb sees, with model and version."""

from __future__ import annotations

import json

import typer
from rich.table import Table
from rich.text import Text

from darkscan.cli.app import app, console, console_err
from darkscan.device import adb
from darkscan.device.adb import DeviceState

EXIT_NONE_READY = 1
_STATE_STYLE = {DeviceState.DEVICE: "green", DeviceState.UNAUTHORIZED: "yellow",
                DeviceState.OFFLINE: "red", DeviceState.OTHER: "red"}


@app.command("devices")
def devices_command(
    as_json: bool = typer.Option(False, "--json", help="Print the list as JSON."),
) -> int:
    """List connected Android devices (serial, state, model, Android version).

    Exits 0 when at least one device is ready, 1 when none is, 3 when adb is missing.
    """
    phones = adb.list_phones()
    if as_json:
        console.print_json(json.dumps([
            {"serial": p.serial, "state": p.raw_state, "model": p.model, "android": p.android}
            for p in phones]))
    elif phones:
        table = Table(title="Android devices (adb)")
        for col in ("serial", "state", "model", "Android"):
            table.add_column(col)
        for p in phones:
            table.add_row(Text(p.serial), Text(p.raw_state, style=_STATE_STYLE[p.state]),
                          Text(p.model or "?"), Text(p.android or "?"))
        console.print(table)
    for p in phones:
        if p.state is not DeviceState.DEVICE:
            console_err.print(Text(f"{adb.state_problem(p.serial, p.state, p.raw_state)}"))
    if not phones:
        console_err.print(
            "No Android device connected. Plug in a phone with USB debugging on (Settings › "
            "About phone › tap Build number 7 times, then Developer options › USB debugging), "
            "start an emulator, or run `adb connect HOST:PORT`.", highlight=False)
    ready = [p for p in phones if p.state is DeviceState.DEVICE]
    return 0 if ready else EXIT_NONE_READY
