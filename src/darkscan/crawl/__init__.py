"""The unattended crawler and its screen graph (issue #3).

    from darkscan.crawl import crawl, load_flow
    result = crawl(load_flow("flows/kanju_zh.yaml"), out=Path("run"))
    result.metrics["goals"]["cancel_subscription"]["steps"]

Modules: flow (flow files), goals (what to look for; wording in darkscan.lexicon), state (screen key), observe
(device -> Screen), explorer (policy), safety (denylist), syspath (uninstall path), graph
(networkx screen graph), metrics, runfolder (writer / reader / resume), crawler (the loop),
signals (progress hook).
"""

from __future__ import annotations

from pathlib import Path

from darkscan.crawl.crawler import CrawlResult, Crawler
from darkscan.crawl.flow import Budget, Flow, load_flow, virtual_flow
from darkscan.crawl.runfolder import RunWriter
from darkscan.crawl.signals import Progress, ProgressHook, no_progress
from darkscan.device.protocol import Device
from darkscan.errors import UsageError

__all__ = ["crawl", "load_flow", "virtual_flow", "make_device", "Flow", "Budget", "Crawler",
           "CrawlResult", "Progress", "ProgressHook"]


def make_device(flow: Flow, serial: str | None = None) -> tuple[Device, str, str | None]:
    """(device, package under test, app label if known) for a flow's target."""
    t = flow.target
    if t.virtual:
        from darkscan.device.virtual import VirtualDevice, load_app

        assert t.app is not None
        app = load_app(t.app)
        extra = [load_app(p) for p in t.extra_apps]
        dev = VirtualDevice([app, *extra], serial=serial or "virtual-1")
        return dev, app.package, app.label or t.label
    if t.package is None:
        raise UsageError("the flow's target names no package")
    from darkscan.device import u2  # lazily: needs adb and a phone

    dev = u2.U2Device(serial or t.serial, t.package)
    label = t.label
    getter = getattr(dev, "app_label", None)
    if label is None and callable(getter):
        label = getter(t.package)
    return dev, t.package, label


def crawl(flow: Flow, out: Path | None, *, resume: bool = False, serial: str | None = None,
          progress: ProgressHook = no_progress, device: Device | None = None,
          stop_on_goal: str | None = None, verify: bool = True) -> CrawlResult:
    """Crawl ``flow``'s target, writing the run folder ``out`` (None = in memory only).

    ``verify``: replay every goal path from a cold start afterwards (crawl/replay.py)."""
    if device is None:
        device, package, label = make_device(flow, serial)
    else:
        package, label = _package_of(flow), flow.target.label
    writer = RunWriter(out, resume=resume) if out is not None else None
    try:
        if writer is not None:
            writer.start(package=package, label=label or "", device=device.info(),
                         flow=str(flow.path))
        crawler = Crawler(device, flow, package, writer, progress=progress,
                          stop_on_goal=stop_on_goal, app_label=label, verify=verify)
        try:
            result = crawler.run()
        except BaseException:
            if writer is not None:
                writer.update_run(status="stopped", elapsed=round(crawler.timer.elapsed(), 3))
            raise
        if writer is not None:
            writer.update_run(status=result.status, finished=_now(),
                              elapsed=round(crawler.timer.elapsed(), 3),
                              decision_ms=round(result.decision_ms, 3),
                              replayed=result.replayed)
        return result
    finally:
        if writer is not None:
            writer.close()


def _package_of(flow: Flow) -> str:
    if flow.target.package:
        return flow.target.package
    from darkscan.device.virtual import load_app

    assert flow.target.app is not None
    return load_app(flow.target.app).package


def _now() -> str:
    from darkscan.crawl.runfolder import now_iso

    return now_iso()
