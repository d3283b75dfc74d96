"""Crawls through the real uiautomator2 client equal crawls of the in-process virtual device.

The loopback phone serves a fresh VirtualDevice of the same app; the crawler drives it through
darkscan.device.u2 -> uiautomator2 -> adbutils -> ADB host protocol -> JSON-RPC. Faults are
switched on mid-crawl from the crawler's progress hook.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from darkscan.crawl import crawl, virtual_flow
from darkscan.crawl.flow import Budget, Flow
from darkscan.crawl.signals import Progress
from darkscan.device import u2
from darkscan.device.adb_fake import FakePhone, serving
from darkscan.device.virtual import VirtualDevice, load_app
from darkscan.errors import DeviceDisconnected

DATA = Path(__file__).parent / "data"
SHOP = DATA / "u2_shop.yaml"
BUNDLED = Path(__file__).resolve().parents[2] / "src" / "darkscan" / "apps"


def _flow(app: Path, steps: int = 300) -> Flow:
    return virtual_flow(app, budget=Budget(max_steps=steps))


def _steps(run: Path) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in (run / "steps.jsonl").read_text().splitlines() if line]
    for r in rows:  # wall-clock timings differ between any two runs
        r.pop("time", None)
        r.pop("decide_ms", None)
    return rows


def _crawl_u2(flow: Flow, app: Path, out: Path | None = None,
              hook: Callable[[FakePhone, Progress], None] | None = None,
              phone: FakePhone | None = None, resume: bool = False) -> Any:
    phone = phone or FakePhone(VirtualDevice([app], serial="virtual-1"))
    with serving(phone):
        device = u2.U2Device("virtual-1", load_app(app).package)
        progress = (lambda p: hook(phone, p)) if hook else (lambda p: None)
        return crawl(flow, out, device=device, progress=progress, resume=resume)


def test_small_app_same_graph_and_metrics(tmp_path: Path) -> None:
    flow = _flow(SHOP)
    ref = crawl(flow, tmp_path / "ref")
    got = _crawl_u2(flow, SHOP, tmp_path / "u2")
    assert got.status == ref.status and got.steps == ref.steps
    assert got.graph == ref.graph
    assert got.metrics == ref.metrics
    assert _steps(tmp_path / "u2") == _steps(tmp_path / "ref")
    secure = [json.loads(p.read_text()) for p in (tmp_path / "u2" / "screens").glob("*.json")]
    assert any(s["secure"] for s in secure)  # the card screen, through the null-screenshot path


@pytest.mark.slow
@pytest.mark.parametrize("name", ["kanju_zh.yaml", "fitpro_en.yaml"])
def test_bundled_app_same_graph_and_metrics(name: str) -> None:
    app = BUNDLED / name
    if not app.is_file():
        pytest.skip(f"{name} is not bundled")
    flow = _flow(app, 400)
    ref = crawl(flow, None)
    got = _crawl_u2(flow, app)
    assert (got.status, got.steps) == (ref.status, ref.steps)
    assert got.graph == ref.graph
    assert got.metrics == ref.metrics


@pytest.mark.slow
def test_server_restart_and_empty_dumps_mid_crawl(tmp_path: Path) -> None:
    flow = _flow(SHOP)
    ref = crawl(flow, None)
    seen: list[int] = []

    def faults(phone: FakePhone, p: Progress) -> None:
        seen.append(p.step)
        if p.step == 3:
            phone.kill_server()
        if p.step == 6:
            phone.faults.uiautomation_lost = True
        if p.step == 9:
            phone.faults.empty_dumps = 1

    phone = FakePhone(VirtualDevice([SHOP], serial="virtual-1"))
    got = _crawl_u2(flow, SHOP, hook=faults, phone=phone)
    assert phone.stats.server_starts == 3  # started, killed + restarted, lost + restarted
    assert phone.faults.empty_dumps == 0
    assert got.graph == ref.graph and got.metrics == ref.metrics


@pytest.mark.slow
def test_disconnect_mid_crawl_then_resume_loses_no_step(tmp_path: Path) -> None:
    flow = _flow(SHOP)
    ref_run = tmp_path / "ref"
    ref = crawl(flow, ref_run)
    run = tmp_path / "run"
    phone = FakePhone(VirtualDevice([SHOP], serial="virtual-1"))

    def unplug_at_step_8(phone: FakePhone, p: Progress) -> None:
        if p.step == 8 and not p.replaying:
            phone.faults.disconnect_after_rpcs = 2  # in the middle of the next step

    with pytest.raises(DeviceDisconnected, match="--resume"):
        _crawl_u2(flow, SHOP, run, hook=unplug_at_step_8, phone=phone)
    status = json.loads((run / "run.json").read_text())["status"]
    assert status == "stopped"
    logged = len(_steps(run))
    assert 8 <= logged < ref.steps

    phone.plug()
    got = _crawl_u2(flow, SHOP, run, phone=phone, resume=True)
    assert got.status == ref.status and got.replayed == logged
    assert _steps(run) == _steps(ref_run)  # every step once, in order, none lost or doubled
    assert got.graph == ref.graph and got.metrics == ref.metrics
