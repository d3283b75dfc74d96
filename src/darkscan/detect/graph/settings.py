"""Thresholds of the graph rules, with their defaults, overridable in the flow file.

The flow's ``thresholds:`` mapping holds them; its ``gate:`` mapping (shared with
``darkscan gate``, which aliases the depth keys to its own limits) may hold them too and wins
on a clash::

    thresholds:
      cancel_depth: 4            # taps from the main screen to the cancel entry
      privacy_policy_depth: 4    # 认定方法: more than 4 taps = hard to reach
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Mapping

from darkscan.errors import FlowError

__all__ = ["Thresholds", "FlowSettings", "flow_settings"]


@dataclass(frozen=True)
class Thresholds:
    """Depths are taps from the main screen, the final tap on the control included."""

    cancel_depth: int = 4
    recommendation_depth: int = 4
    account_deletion_depth: int = 4
    privacy_policy_depth: int = 4
    customer_service_depth: int = 6
    uninstall_steps: int = 5
    # cancelling counts as harder than subscribing when it takes more than this many extra taps
    cancel_vs_subscribe_margin: int = 1

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any], source: str = "flow") -> Thresholds:
        kw: dict[str, int] = {}
        for f in fields(cls):
            v = settings.get(f.name)
            if v is None:
                continue
            if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
                raise FlowError(source, f"gate.{f.name}", f"must be a number >= 0, not {v!r}")
            kw[f.name] = int(v)
        return cls(**kw)


@dataclass(frozen=True)
class FlowSettings:
    gate: Mapping[str, Any]
    goals: Any  # darkscan.crawl.goals.GoalSet | None (None: the built-in goals)
    source: str = "flow"


def flow_settings(run: Mapping[str, Any], root: Path) -> FlowSettings:
    """The gate mapping and goals of the flow the run was crawled with.

    A flow file that has moved or no longer parses since the crawl leaves the defaults (the
    crawl itself validated it).
    """
    from darkscan.crawl.flow import load_flow

    flow = run.get("flow")
    if not isinstance(flow, str) or not flow:
        return FlowSettings({}, None)
    p = Path(flow)
    if not p.is_absolute() and not p.is_file():
        p = root / flow
    if not p.is_file() or p.suffix not in (".yaml", ".yml"):
        return FlowSettings({}, None)
    try:
        f = load_flow(p)
    except FlowError:
        return FlowSettings({}, None)
    return FlowSettings(dict(f.gate), f.goals, str(p))
