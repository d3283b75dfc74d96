"""metrics.json: per goal found / steps / path / reason, cancel-vs-subscribe, coverage.

Only facts of the graph and the step log go in here (no timings), so an interrupted and
resumed crawl produces the same file as an uninterrupted one.
"""

from __future__ import annotations

from typing import Any, Mapping

from darkscan.crawl.goals import GoalSet, Scope
from darkscan.crawl.graph import ActionStatus, GoalReason, GoalResult, ScreenGraph
from darkscan.crawl.mainscreen import NavEdge, NavWidget, find_main
from darkscan.crawl.state import Screen, ScreenKind


def main_screen_of(graph: ScreenGraph, screens: Mapping[str, Screen]) -> str | None:
    """The main screen (crawl/mainscreen.py) of the crawler's graph."""
    nodes = {}
    for n in graph.app_nodes():
        s = screens.get(n)
        ws = [NavWidget(w.label, tuple(w.bounds.as_list()), w.clickable)  # type: ignore[arg-type]
              for w in (s.widgets if s is not None else ()) if w.scroll == 0]
        nodes[n] = (bool(graph.g.nodes[n]["dialog"]), ws)
    edges = [NavEdge(u, v, str(d.get("kind", "")), str(d.get("action", "")), int(d["step"]))
             for u, v, d in graph.app_edges()]
    first = {n: int(graph.g.nodes[n]["first_seen"]) for n in nodes}
    return find_main(graph.root, nodes, edges, first)


def left_with_faults(graph: ScreenGraph) -> int:
    """Actions whose taps met a fault and that were not tried again as often as allowed."""
    n = 0
    for nid in graph.app_nodes():
        for a in graph.actions(nid).values():
            if a.get("faults") and a["status"] != ActionStatus.EXPLORED.value:
                n += 1
    return n


def goal_results(graph: ScreenGraph, goals: GoalSet, budget_hit: bool,
                 verified: dict[str, GoalResult] | None = None) -> dict[str, GoalResult]:
    """Per goal: the replayed result when there is one (``verified``), else the graph's."""
    out: dict[str, GoalResult] = {}
    faulty = left_with_faults(graph) > 0
    for g in goals.goals:
        if verified is not None and g.name in verified:
            out[g.name] = verified[g.name]
            continue
        if g.scope is Scope.SYSTEM:
            res = graph.shortest(graph.launcher, g.name, ScreenKind.SYSTEM)
        else:
            res = graph.shortest(graph.root, g.name, ScreenKind.APP)
        if res is None:
            reason = GoalReason.BUDGET if budget_hit else (
                GoalReason.FAULTY if faulty and g.scope is Scope.APP else GoalReason.EXHAUSTED)
            res = GoalResult(g.name, False, None, (), reason)
        out[g.name] = res
    return out


def coverage(graph: ScreenGraph, steps: int, status: str, retries: int = 2) -> dict[str, Any]:
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
        "unexplored": counts[ActionStatus.UNEXPLORED.value] + counts[ActionStatus.FAILED.value]
        + counts[ActionStatus.UNREACHABLE.value],
        "failed": counts[ActionStatus.FAILED.value],
        "unreachable": counts[ActionStatus.UNREACHABLE.value],
        "retried": sum(1 for n in app for a in graph.actions(n).values() if a.get("faults")),
        "dead": sum(1 for n in app for a in graph.actions(n).values()
                    if a.get("faults", 0) > retries),
        "faulty_left": left_with_faults(graph),
        "stopped_before": counts[ActionStatus.DENIED.value],
        "system_screens": sum(1 for _, d in g.nodes(data=True)
                              if d["kind"] in (ScreenKind.SYSTEM.value, ScreenKind.LAUNCHER.value)),
        "steps": steps,
        "status": status,
    }


def steps_from_main(graph: ScreenGraph, goal: str) -> int | None:
    """A goal's steps counted from the main screen (None: not reachable from it)."""
    res = graph.shortest(graph.main, goal, ScreenKind.APP) if graph.main else None
    return res.steps if res is not None else None


def build_metrics(graph: ScreenGraph, goals: GoalSet, *, steps: int, status: str,
                  faults: list[str], verified: dict[str, GoalResult] | None = None,
                  retries: int = 2, launch: Mapping[str, Any] | None = None) -> dict[str, Any]:
    results = goal_results(graph, goals, budget_hit=status == "budget", verified=verified)
    out: dict[str, Any] = {"goals": {n: r.to_json() for n, r in results.items()}}
    for g in goals.goals:
        if g.scope is Scope.APP and results[g.name].found:
            out["goals"][g.name]["steps_from_main"] = steps_from_main(graph, g.name)
    c, s = results.get("cancel_subscription"), results.get("subscribe")
    if c is not None and s is not None:
        ratio = (c.steps / s.steps) if (c.steps and s.steps) else None
        out["cancel_vs_subscribe"] = {"cancel_steps": c.steps, "subscribe_steps": s.steps,
                                      "ratio": round(ratio, 3) if ratio is not None else None}
    out["coverage"] = coverage(graph, steps, status, retries)
    out["faults"] = sorted(set(faults))
    out["root"] = graph.root
    out["main"] = graph.main
    if launch is not None:
        out["launch"] = dict(launch)
    return out
