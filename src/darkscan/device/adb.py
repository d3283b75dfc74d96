"""The adb host side: find the adb server, list phones, pick one, explain what is wrong.

Every failure a user meets before a crawl starts becomes one actionable line: adb missing,
the adb server not running and not startable, nothing connected, an unknown serial, a phone
that has not accepted this computer's key (unauthorised) or is offline.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from dataclasses import dataclass
from enum import Enum

import adbutils

from darkscan.errors import DeviceError, EnvironmentProblem, UsageError

INSTALL_HINT = (
    "install the Android platform tools: sudo apt-get install adb "
    "(macOS: brew install android-platform-tools; Windows: Android SDK Platform-Tools)"
)


class DeviceState(Enum):
    """What ``adb devices`` says about a phone."""

    DEVICE = "device"
    UNAUTHORIZED = "unauthorized"
    OFFLINE = "offline"
    OTHER = "other"

    @classmethod
    def of(cls, raw: str) -> DeviceState:
        try:
            return cls(raw)
        except ValueError:
            return cls.OTHER


@dataclass(frozen=True)
class AdbPhone:
    """One row of ``darkscan devices``."""

    serial: str
    state: DeviceState
    raw_state: str
    model: str  # "" when the phone cannot be asked (unauthorised, offline)
    android: str


def server_address() -> tuple[str, int]:
    """Where the adb server listens (``ANDROID_ADB_SERVER_HOST`` / ``_PORT``, like adb)."""
    host = os.environ.get("ANDROID_ADB_SERVER_HOST") or "127.0.0.1"
    raw = os.environ.get("ANDROID_ADB_SERVER_PORT") or "5037"
    try:
        port = int(raw)
    except ValueError:
        raise UsageError(f"ANDROID_ADB_SERVER_PORT={raw!r} is not a port number") from None
    return host, port


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def find_adb() -> str | None:
    """The adb executable: ``$ADBUTILS_ADB_PATH``, then ``adb`` on PATH, then adbutils' own."""
    env = os.environ.get("ADBUTILS_ADB_PATH")
    if env:
        return env if os.path.isfile(env) and os.access(env, os.X_OK) else None
    exe = shutil.which("adb")
    if exe:
        return exe
    try:
        exe = adbutils.adb_path()
    except adbutils.AdbError:
        return None
    return exe if exe and os.path.isfile(exe) else None


def client() -> adbutils.AdbClient:
    """An adbutils client for a running adb server; starts a local server as ``adb`` would."""
    host, port = server_address()
    if not _listening(host, port):
        if host not in ("127.0.0.1", "localhost"):
            raise EnvironmentProblem(
                f"no adb server answers at {host}:{port} (ANDROID_ADB_SERVER_HOST); "
                "start it there with `adb -a start-server` or unset the variable"
            )
        exe = find_adb()
        if exe is None:
            raise EnvironmentProblem(
                "adb is not installed (no adb on PATH) and no adb server is running on "
                f"127.0.0.1:{port}", hint=INSTALL_HINT)
        try:
            proc = subprocess.run(
                [exe, "-P", str(port), "start-server"], capture_output=True, text=True,
                timeout=20, check=False)
            detail = (proc.stderr or proc.stdout).strip().splitlines()
        except (OSError, subprocess.TimeoutExpired) as e:
            detail = [str(e)]
        if not _listening(host, port):
            why = f": {detail[-1]}" if detail else ""
            raise EnvironmentProblem(
                f"the adb server is not running on 127.0.0.1:{port} and `{exe} start-server` "
                f"could not start it{why}", hint=INSTALL_HINT)
    return adbutils.AdbClient(host=host, port=port, socket_timeout=30)


def list_phones(c: adbutils.AdbClient | None = None) -> list[AdbPhone]:
    """Every phone the adb server knows, with model and Android version when it can tell."""
    c = c or client()
    try:
        infos = c.list(extended=True)
    except adbutils.AdbError as e:
        raise EnvironmentProblem(f"the adb server did not answer `devices`: {e}") from None
    phones = []
    for info in infos:
        state = DeviceState.of(info.state)
        model = info.tags.get("model", "").replace("_", " ")
        android = ""
        if state is DeviceState.DEVICE:
            dev = c.device(info.serial)
            try:
                model = dev.getprop("ro.product.model") or model
                android = dev.getprop("ro.build.version.release")
            except adbutils.AdbError:
                pass  # the phone went away between the listing and the question
        phones.append(AdbPhone(info.serial, state, info.state, model, android))
    return phones


def state_problem(serial: str, state: DeviceState, raw: str) -> DeviceError:
    """The error for a phone that is listed but cannot be used."""
    if state is DeviceState.UNAUTHORIZED:
        return DeviceError(
            f"device {serial} is unauthorized: unlock it and accept the 'Allow USB debugging?' "
            "dialog (tick 'Always allow from this computer'), then retry",
            hint="no dialog? revoke USB debugging authorisations in Developer options and "
                 "replug, or run `adb kill-server`")
    if state is DeviceState.OFFLINE:
        return DeviceError(
            f"device {serial} is offline: replug the cable (or `adb reconnect`), and for "
            "`adb connect` phones check Wi-Fi debugging is still on")
    return DeviceError(f"device {serial} is in state '{raw}', not ready for debugging")


def resolve(serial: str | None, c: adbutils.AdbClient | None = None) -> adbutils.AdbDevice:
    """The ready phone with this serial (or the only one); a clear error otherwise."""
    c = c or client()
    phones = list_phones(c)
    if serial is None:
        serial = os.environ.get("ANDROID_SERIAL") or None
    if serial is None:
        if not phones:
            raise DeviceError(
                "no Android device is connected: plug in a phone with USB debugging on, start "
                "an emulator, or `adb connect HOST:PORT`; `darkscan devices` lists what adb sees")
        if len(phones) > 1:
            names = ", ".join(p.serial for p in phones)
            raise UsageError(f"several devices are connected ({names}); choose one with --serial")
        serial = phones[0].serial
    match = next((p for p in phones if p.serial == serial), None)
    if match is None:
        known = ", ".join(p.serial for p in phones) or "none"
        raise DeviceError(
            f"no device with serial '{serial}' (connected: {known}); "
            "`darkscan devices` lists serials")
    if match.state is not DeviceState.DEVICE:
        raise state_problem(serial, match.state, match.raw_state)
    return c.device(serial)


def is_online(serial: str) -> bool:
    """True when adb lists the phone as ready; False when it is gone or the server is down."""
    host, port = server_address()
    if not _listening(host, port):  # never let adbutils spawn a server from here
        return False
    try:
        infos = adbutils.AdbClient(host=host, port=port, socket_timeout=5).list()
    except (adbutils.AdbError, OSError):
        return False
    return any(i.serial == serial and i.state == "device" for i in infos)
