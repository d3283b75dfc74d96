"""Resume on a phone that remembers its state (issue #13.3).

The phone (the fake adb / uiautomator2 servers over a virtual device) runs an app whose consent
dialog shows until it is agreed to, like nearly every Chinese app. A crawl interrupted after the
consent was given cannot replay its log on that phone as logged: a fresh start now opens on the
splash. ``--resume`` must still finish, with the same goal step counts as an uninterrupted crawl,
after an unplugged cable and after a SIGKILL of the darkscan process - through the real
uiautomator2 client.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from darkscan.cli import main
from darkscan.crawl import crawl, virtual_flow
from darkscan.crawl.flow import Budget
from darkscan.crawl.signals import Progress
from darkscan.device import u2
from darkscan.device.adb_fake import FakePhone, serving
from darkscan.device.virtual import VirtualDevice, load_app
from darkscan.errors import DeviceDisconnected

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "tests" / "apps" / "launch_consent_once.yaml"
PACKAGE = "com.test.consentonce"


def _steps(run: Path) -> list[dict[str, Any]]:
    rows = [json.loads(x) for x in (run / "steps.jsonl").read_text().splitlines() if x]
    for r in rows:
        r.pop("time", None)
        r.pop("decide_ms", None)
    return rows


def _goal_steps(metrics: dict[str, Any]) -> dict[str, Any]:
    return {n: (g["found"], g["steps"], g.get("steps_from_main"))
            for n, g in metrics["goals"].items()}


def _phone() -> FakePhone:
    return FakePhone(VirtualDevice([APP], serial="virtual-1"))


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """An uninterrupted crawl of the same app on a phone through uiautomator2."""
    out = tmp_path_factory.mktemp("ref") / "run"
    with serving(_phone()):
        res = crawl(virtual_flow(APP, budget=Budget(max_steps=300)), out,
                    device=u2.U2Device("virtual-1", PACKAGE))
    assert res.metrics["coverage"]["status"] == "exhausted"
    return res.metrics


def test_unplugged_phone_that_remembers_consent_resumes(tmp_path: Path, reference) -> None:
    flow = virtual_flow(APP, budget=Budget(max_steps=300))
    run = tmp_path / "run"
    phone = _phone()
    agreed: list[int] = []

    def unplug_after_consent(p: Progress) -> None:
        if p.replaying:
            return
        if not agreed and phone.device.current_screen()[1] == "splash":  # type: ignore[attr-defined]
            agreed.append(p.step)
        if agreed and p.step == agreed[0] + 3:
            phone.faults.disconnect_after_rpcs = 2  # in the middle of the next step

    with serving(phone), pytest.raises(DeviceDisconnected, match="--resume"):
        crawl(flow, run, device=u2.U2Device("virtual-1", PACKAGE), progress=unplug_after_consent)
    before = _steps(run)
    assert agreed and len(before) >= agreed[0] + 3

    phone.plug()
    with serving(phone):
        got = crawl(flow, run, device=u2.U2Device("virtual-1", PACKAGE), resume=True)
    assert got.replayed == len(before)
    assert _steps(run)[:len(before)] == before            # nothing from the log is lost
    assert json.loads((run / "run.json").read_text())["resume_offline_from"] <= len(before)
    assert _goal_steps(got.metrics) == _goal_steps(reference)
    assert got.metrics["coverage"]["status"] == "exhausted"


@pytest.mark.slow
def test_killed_darkscan_resumes_on_a_phone_that_remembers_consent(tmp_path: Path,
                                                                   reference) -> None:
    flow = tmp_path / "phone.yaml"
    flow.write_text(f"name: consent-phone\ntarget: {{serial: virtual-1, package: {PACKAGE}, "
                    f"label: {load_app(APP).label}}}\nbudget: {{max_steps: 300}}\n",
                    encoding="utf-8")
    run = tmp_path / "run"
    phone = _phone()
    with serving(phone) as server:
        code = ("import time, darkscan.crawl.runfolder as rf\n"
                "orig = rf.RunWriter.append_step\n"
                "def slow(self, rec):\n"
                "    orig(self, rec); time.sleep(0.05)\n"
                "rf.RunWriter.append_step = slow\n"
                "from darkscan.cli import main\n"
                f"main(['crawl', {str(flow)!r}, '--out', {str(run)!r}, '--quiet'])\n")
        env = {**os.environ, "ANDROID_ADB_SERVER_PORT": str(server.port),
               "PYTHONPATH": str(REPO / "src")}
        proc = subprocess.Popen([sys.executable, "-c", code], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if phone.device.current_screen()[1] in ("mine", "settings"):  # type: ignore[attr-defined]
                break  # consent given and past the splash: well into the crawl
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        before = _steps(run)
        assert json.loads((run / "run.json").read_text())["status"] == "running"
        assert any(s["to"] for s in before) and phone.device.launches[PACKAGE] >= 1  # type: ignore[attr-defined]

        assert main(["crawl", str(flow), "--out", str(run), "--resume", "--quiet"]) == 0
    metrics = json.loads((run / "metrics.json").read_text())
    assert _steps(run)[:len(before)] == before
    assert _goal_steps(metrics) == _goal_steps(reference)
    assert json.loads((run / "run.json").read_text())["status"] == "done"
