"""`darkscan devices` and device selection errors, through adbutils and a loopback adb server."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from darkscan.cli import main
from darkscan.device import u2
from darkscan.device.adb_fake import DeviceState, FakePhone, serving
from darkscan.device.virtual import VirtualDevice
from darkscan.errors import DeviceError, EnvironmentProblem, UsageError

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _no_serial_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANDROID_SERIAL", raising=False)


def _phone(serial: str, state: str = DeviceState.DEVICE, **kw: str) -> FakePhone:
    p = FakePhone(VirtualDevice([DATA / "u2_shop.yaml"], serial=serial), **kw)  # type: ignore[arg-type]
    p.faults.state = state
    return p


def _flat(text: str) -> str:
    return " ".join(text.split())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_lists_devices_with_model_and_android_version(capsys: pytest.CaptureFixture[str]) -> None:
    with serving(_phone("virtual-1", model="Pixel 7", android="14"),
                 _phone("emulator-5554", model="sdk gphone64", android="15")):
        assert main(["devices"]) == 0
    out = _flat(capsys.readouterr().out)
    assert "virtual-1" in out and "Pixel 7" in out and "14" in out
    assert "emulator-5554" in out and "sdk gphone64" in out and "15" in out


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    with serving(_phone("virtual-1", model="Pixel 7", android="14")):
        assert main(["devices", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows == [{"serial": "virtual-1", "state": "device", "model": "Pixel 7",
                     "android": "14"}]


def test_unauthorized_device_is_explained(capsys: pytest.CaptureFixture[str]) -> None:
    with serving(_phone("R5CT1234", DeviceState.UNAUTHORIZED)):
        assert main(["devices"]) == 1  # nothing ready
    captured = capsys.readouterr()
    assert "unauthorized" in captured.out
    err = _flat(captured.err)
    assert "R5CT1234 is unauthorized" in err and "Allow USB debugging?" in err


def test_nothing_connected(capsys: pytest.CaptureFixture[str]) -> None:
    with serving():
        assert main(["devices"]) == 1
    err = _flat(capsys.readouterr().err)
    assert "No Android device connected" in err and "adb connect HOST:PORT" in err


def test_adb_missing(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(_free_port()))
    monkeypatch.setenv("ADBUTILS_ADB_PATH", "/nonexistent/platform-tools/adb")
    assert main(["devices"]) == 3
    err = _flat(capsys.readouterr().err)
    assert "adb is not installed" in err and "apt-get install adb" in err
    assert "Traceback" not in err


def test_adb_server_that_cannot_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(_free_port()))
    monkeypatch.setenv("ADBUTILS_ADB_PATH", "/bin/false")
    with pytest.raises(EnvironmentProblem, match="could not start it"):
        u2.connect("virtual-1")


def test_connect_errors_are_actionable() -> None:
    with serving(_phone("virtual-1"), _phone("R5CT1234", DeviceState.UNAUTHORIZED),
                 _phone("10.0.0.7:5555", DeviceState.OFFLINE)):
        with pytest.raises(DeviceError, match=r"no device with serial 'nope' \(connected: "
                                              r"virtual-1, R5CT1234, 10.0.0.7:5555\)"):
            u2.connect("nope")
        with pytest.raises(DeviceError, match="R5CT1234 is unauthorized: unlock it"):
            u2.connect("R5CT1234")
        with pytest.raises(DeviceError, match="10.0.0.7:5555 is offline"):
            u2.connect("10.0.0.7:5555")
        with pytest.raises(UsageError, match="several devices are connected"):
            u2.connect(None)


def test_no_device_when_connecting() -> None:
    with serving(), pytest.raises(DeviceError, match="no Android device is connected"):
        u2.connect(None)
