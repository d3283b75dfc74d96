"""Goal steps as the report and the gate count them: from the app's main screen.

metrics.json counts a goal's steps from launch, so a splash ad and a first-run consent dialog
add taps that have nothing to do with how deep the control is. The graph detectors count depth
from the *main screen* (darkscan.detect.graph.paths.main_screen: the first hub past splash
screens and dialogs); the gate uses the same convention so a finding and the gate agree.
When the main screen is not on a goal's path (the uninstall path starts at the launcher) or is
unknown, the launch count stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from darkscan.report.load import RunData


@dataclass(frozen=True)
class GoalSteps:
    name: str
    found: bool
    steps: int | None  # from the main screen when it is on the path, else from launch
    from_launch: int | None
    skipped: int  # leading path steps before the main screen (splash, consent ...)
    reason: str
    verified: bool | None = None   # replayed from a cold start (None: not replayed)
    unverified_reason: str = ""
    first_launch_only: str = ""    # verified by the crawl's first launch; why later ones can't


def main_screen(run: RunData) -> str | None:
    """The app's main screen, as the graph detectors find it (None when they are absent)."""
    try:
        from darkscan.detect.graph.paths import main_screen as find_main
        from darkscan.detect.graph.rundata import load_run as load_graph_run
    except ImportError:  # detectors not installed: steps count from launch
        return None
    return find_main(load_graph_run(run.root))


def _count(goal: Mapping[str, Any]) -> int | None:
    steps = goal.get("steps")
    if isinstance(steps, (int, float)) and not isinstance(steps, bool):
        return int(steps)
    path = goal.get("path")
    return len(path) if isinstance(path, list) and goal.get("found") else None


def _verified(goal: Mapping[str, Any]) -> bool | None:
    v = goal.get("verified")
    return v if isinstance(v, bool) else None


def goal_steps(run: RunData, main: str | None = None) -> dict[str, GoalSteps]:
    out: dict[str, GoalSteps] = {}
    for name, g in run.goals.items():
        if not isinstance(g, Mapping):
            continue
        total = _count(g)
        screens = [str(p.get("screen")) for p in g.get("path") or () if isinstance(p, Mapping)]
        skipped = screens.index(main) if main is not None and main in screens else 0
        steps = total - skipped if total is not None else None
        out[str(name)] = GoalSteps(name=str(name), found=bool(g.get("found")), steps=steps,
                                   from_launch=total, skipped=skipped,
                                   reason=str(g.get("reason") or ""),
                                   verified=_verified(g),
                                   unverified_reason=str(g.get("unverified_reason") or ""),
                                   first_launch_only=str(g.get("first_launch_only") or ""))
    return out
