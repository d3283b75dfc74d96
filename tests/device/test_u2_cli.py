"""`darkscan crawl --serial virtual-1` end to end through uiautomator2 and adbutils.

The flow targets a package on a phone (not a virtual app file), so the CLI takes the real-device
path: darkscan.device.u2 -> uiautomator2 -> adbutils -> the loopback adb server -> the virtual
device. Results are compared with `darkscan crawl` of the same app in-process.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from darkscan.cli import main
from darkscan.device.adb_fake import DeviceState, FakePhone, serving
from darkscan.device.virtual import VirtualDevice

DATA = Path(__file__).parent / "data"
SHOP = DATA / "u2_shop.yaml"
PKG = "com.example.u2shop"


@pytest.fixture(autouse=True)
def _no_serial_from_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANDROID_SERIAL", raising=False)


def _flows(tmp: Path) -> tuple[Path, Path]:
    virtual = tmp / "virtual.yaml"
    virtual.write_text(f"target: {{app: {SHOP}}}\nbudget: {{max_steps: 300}}\n")
    phone = tmp / "phone.yaml"
    phone.write_text(f"target: {{package: {PKG}, label: U2 Shop}}\nbudget: {{max_steps: 300}}\n")
    return virtual, phone


def _steps(run: Path) -> list[dict[str, object]]:
    rows = [json.loads(x) for x in (run / "steps.jsonl").read_text().splitlines() if x]
    for r in rows:
        r.pop("time", None)
        r.pop("decide_ms", None)
    return rows


def _json(path: Path) -> object:
    return json.loads(path.read_text())


def _phone() -> FakePhone:
    return FakePhone(VirtualDevice([SHOP], serial="virtual-1"))


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.slow
def test_crawl_cli_through_uiautomator2_equals_virtual(tmp_path: Path) -> None:
    virtual_flow, phone_flow = _flows(tmp_path)
    assert main(["crawl", str(virtual_flow), "--out", str(tmp_path / "ref"), "--quiet"]) == 0
    with serving(_phone()):
        assert main(["crawl", str(phone_flow), "--out", str(tmp_path / "u2"),
                     "--serial", "virtual-1", "--quiet"]) == 0
    ref, got = tmp_path / "ref", tmp_path / "u2"
    assert _json(got / "graph.json") == _json(ref / "graph.json")
    assert _json(got / "metrics.json") == _json(ref / "metrics.json")
    assert _steps(got) == _steps(ref)
    run = _json(got / "run.json")
    assert isinstance(run, dict) and run["device"]["serial"] == "virtual-1"
    assert run["device"]["model"] == "Pixel 7"  # read through getprop, not the virtual device


@pytest.mark.slow
def test_crawl_cli_disconnect_then_resume(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    virtual_flow, phone_flow = _flows(tmp_path)
    assert main(["crawl", str(virtual_flow), "--out", str(tmp_path / "ref"), "--quiet"]) == 0
    phone = _phone()
    run = tmp_path / "u2"
    args = ["crawl", str(phone_flow), "--out", str(run), "--serial", "virtual-1", "--quiet"]
    with serving(phone):
        phone.faults.disconnect_after_rpcs = 40  # about a third into the crawl
        assert main(args) == 3
        err = _flat(capsys.readouterr().err)
        assert "virtual-1 disconnected" in err and "--resume" in err
        assert _json(run / "run.json")["status"] == "stopped"  # type: ignore[index]
        partial = len(_steps(run))
        assert partial > 0
        phone.plug()
        assert main([*args, "--resume"]) == 0
    assert _steps(run) == _steps(tmp_path / "ref")  # no step lost or repeated
    assert _json(run / "metrics.json") == _json(tmp_path / "ref" / "metrics.json")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_crawl_cli_device_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    _, phone_flow = _flows(tmp_path)
    unauthorized = _phone()
    unauthorized.faults.state = DeviceState.UNAUTHORIZED

    def crawl(serial: str) -> tuple[int, str]:
        out = tmp_path / f"run-{len(list(tmp_path.iterdir()))}"
        rc = main(["crawl", str(phone_flow), "--out", str(out), "--serial", serial, "--quiet"])
        return rc, _flat(capsys.readouterr().err)

    with serving(unauthorized):
        rc, err = crawl("nope")
        assert rc == 3 and "no device with serial 'nope' (connected: virtual-1)" in err
        rc, err = crawl("virtual-1")
        assert rc == 3 and "virtual-1 is unauthorized: unlock it" in err
        assert "Traceback" not in err

    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(_free_port()))
    monkeypatch.setenv("ADBUTILS_ADB_PATH", "/nonexistent/adb")
    rc, err = crawl("virtual-1")
    assert rc == 3 and "adb is not installed" in err and "apt-get install adb" in err
