"""metrics.json: per goal found / steps / path / reason, cancel-vs-subscribe, coverage.

Only facts of the graph and the step log go in here (no timings), so an interrupted and
resumed crawl produces the same file as an uninterrupted one.
"""

from __future__ import annotations

from typing import Any

from darkscan.crawl.goals import GoalSet, Scope
from darkscan.crawl.graph import ActionStatus, GoalReason, GoalResult, ScreenGraph
from darkscan.crawl.state import ScreenKind


def goal_results(graph: ScreenGraph, goals: GoalSet, budget_hit: bool,
                 verified: dict[str, GoalResult] | None = None) -> dict[str, GoalResult]:
    """Per goal: the replayed result when there is one (``verified``), else the graph's."""
    out: dict[str, GoalResult] = {}
    for g in goals.goals:
        if verified is not None and g.name in verified:
            out[g.name] = verified[g.name]
            continue
        if g.scope is Scope.SYSTEM:
            res = graph.shortest(graph.launcher, g.name, ScreenKind.SYSTEM)
        else:
            res = graph.shortest(graph.root, g.name, ScreenKind.APP)
        if res is None:
            reason = GoalReason.BUDGET if budget_hit else GoalReason.EXHAUSTED
            res = GoalResult(g.name, False, None, (), reason)
        out[g.name] = res
    return out


def coverage(graph: ScreenGraph, steps: int, status: str) -> dict[str, Any]:
    g = graph.g
    app = graph.app_nodes()
    counts = {s.value: 0 for s in ActionStatus}
    for n in app:
        for a in graph.actions(n).values():
            counts[a["status"]] += 1
    app_set = set(app)
    edges = [(u, v, k) for u, v, k in g.edges(keys=True) if u in app_set]
    return {
        "states": len(app),
        "screens": sum(1 for n in app if not g.nodes[n]["dialog"]),
        "dialogs": sum(1 for n in app if g.nodes[n]["dialog"]),
        "edges": len(edges),
        "actions": sum(counts.values()),
        "explored": counts[ActionStatus.EXPLORED.value],
        "unexplored": counts[ActionStatus.UNEXPLORED.value] + counts[ActionStatus.FAILED.value],
        "failed": counts[ActionStatus.FAILED.value],
        "stopped_before": counts[ActionStatus.DENIED.value],
        "system_screens": sum(1 for _, d in g.nodes(data=True)
                              if d["kind"] in (ScreenKind.SYSTEM.value, ScreenKind.LAUNCHER.value)),
        "steps": steps,
        "status": status,
    }


def build_metrics(graph: ScreenGraph, goals: GoalSet, *, steps: int, status: str,
                  faults: list[str], verified: dict[str, GoalResult] | None = None
                  ) -> dict[str, Any]:
    results = goal_results(graph, goals, budget_hit=status == "budget", verified=verified)
    out: dict[str, Any] = {"goals": {n: r.to_json() for n, r in results.items()}}
    c, s = results.get("cancel_subscription"), results.get("subscribe")
    if c is not None and s is not None:
        ratio = (c.steps / s.steps) if (c.steps and s.steps) else None
        out["cancel_vs_subscribe"] = {"cancel_steps": c.steps, "subscribe_steps": s.steps,
                                      "ratio": round(ratio, 3) if ratio is not None else None}
    out["coverage"] = coverage(graph, steps, status)
    out["faults"] = sorted(set(faults))
    out["root"] = graph.root
    return out
