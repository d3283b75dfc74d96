"""hard_uninstall: the app obstructs its own removal (MIIT 2023 notice).

Read from ``probes.json`` (written on the device after the crawl by
:mod:`darkscan.crawl.probes`): the launcher icon's label and visibility, and the state of the
Uninstall button in system Settings. Without probes the rule stays silent except for the step
count of the crawler's system-scope ``uninstall`` goal, when the goal table has one.
"""

from __future__ import annotations

from typing import Any, Mapping

from darkscan.detect.finding import Category, Finding, Severity
from darkscan.detect.graph.base import run_rule
from darkscan.detect.graph.rundata import RunView
from darkscan.detect.graph.settings import Thresholds
from darkscan.geometry import Box

__all__ = ["HardUninstall"]

_CAT = Category.HARD_UNINSTALL
_REGS = ("MIIT-2023-UNINSTALL", "MIIT-2025-NO-DECEPTION")


def _box(v: Any) -> Box:
    if isinstance(v, (list, tuple)) and len(v) == 4:
        return Box(*[int(x) for x in v])
    return Box(0, 0, 0, 0)


def _f(rule: str, sev: Severity, bbox: Box, msg: str, ev: Mapping[str, Any]) -> Finding:
    return Finding(category=_CAT, rule=rule, severity=sev, bbox=bbox, message=msg,
                   evidence=dict(ev), regulations=_REGS, screen=None)


class HardUninstall:
    category = _CAT

    def detect(self, run: RunView, thresholds: Thresholds) -> list[Finding]:
        probe = (run.probes or {}).get("uninstall")
        out: list[Finding] = []
        if not isinstance(probe, Mapping):
            return self._from_goal(run, thresholds)
        launcher = probe.get("launcher") if isinstance(probe.get("launcher"), Mapping) else {}
        settings = probe.get("settings") if isinstance(probe.get("settings"), Mapping) else {}
        if launcher.get("found"):
            icon = _box(launcher.get("icon_bounds"))
            if launcher.get("label_blank"):
                out.append(_f("launcher_label_blank", Severity.HIGH, _box(
                    launcher.get("label_bounds")) if launcher.get("label_bounds") else icon,
                    "The app has no name under its launcher icon: users cannot tell which "
                    "icon to remove", launcher))
            if launcher.get("icon_visible") is False:
                out.append(_f("launcher_icon_invisible", Severity.HIGH, icon,
                              "The app's launcher icon is invisible (transparent or the same "
                              "colour as the wallpaper)", launcher))
        button = settings.get("button") if isinstance(settings.get("button"), Mapping) else None
        if button is not None and button.get("enabled") is False:
            out.append(_f("uninstall_disabled", Severity.HIGH, _box(button.get("bounds")),
                          "The Uninstall button in system Settings is disabled for this app",
                          settings))
        steps = settings.get("steps")
        if isinstance(steps, int) and steps > thresholds.uninstall_steps:
            out.append(_f("uninstall_too_deep", Severity.MEDIUM, _box(
                (button or {}).get("bounds")),
                f"Uninstalling takes {steps} steps from the launcher through Settings; the "
                f"limit is {thresholds.uninstall_steps}", settings))
        return out

    def _from_goal(self, run: RunView, thr: Thresholds) -> list[Finding]:
        row = run.goals.get("uninstall")
        if row is None or not row.found or row.steps is None or row.steps <= thr.uninstall_steps:
            return []
        return [_f("uninstall_too_deep", Severity.MEDIUM, Box(0, 0, 0, 0),
                   f"Uninstalling takes {row.steps} steps from the launcher through Settings; "
                   f"the limit is {thr.uninstall_steps}",
                   {"steps": row.steps, "path": [dict(p) for p in row.path]})]


CATEGORY = HardUninstall.category


def detect(run: Any) -> list[Finding]:
    """Registry entry point: ``run`` is the registry's RunGraph, a run folder path or a RunView."""
    return run_rule(HardUninstall(), run)
