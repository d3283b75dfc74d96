"""The screen graph: nodes are abstract screens, edges are actions (networkx MultiDiGraph).

An edge is keyed by the action's id on its source screen and points at the screen the action
led to the *first* time it was taken - what a first-time user meets (a welcome popup shown on
the first visits only, a consent dialog shown on first launch). Later, different outcomes are
kept separately for navigation only (``latest``) and never shorten a measured path.

Goal depth = shortest path (every edge is one user action: a tap, or a system back press) from
the launch screen (the first screen after ``app_start`` on a fresh start) to the screen on
which the goal widget was observed, plus one tap on the widget. Splash "skip" buttons and
consent dialogs sit on that path like any other screen, so dismissing them counts. The
uninstall goal is measured the same way from the launcher.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Iterable, Protocol

import networkx as nx

from darkscan.crawl.state import ScreenKind


class GoalReason(Enum):
    FOUND = "found"
    EXHAUSTED = "exhausted"   # every reachable action was tried
    BUDGET = "budget"         # the step or time budget ran out first


class ActionStatus(Enum):
    UNEXPLORED = "unexplored"
    EXPLORED = "explored"
    DENIED = "denied"        # safety: stopped before it
    FAILED = "failed"        # the widget could not be found again when we tried


@dataclass(frozen=True)
class GoalHit:
    goal: str
    screen: str
    sig: str
    label: str
    clue: str
    enabled: bool = True


@dataclass(frozen=True)
class GoalResult:
    name: str
    found: bool
    steps: int | None
    path: tuple[dict[str, str], ...]
    reason: GoalReason
    widget_enabled: bool | None = None   # False: the goal's control is shown disabled

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"found": self.found, "steps": self.steps,
                             "path": [dict(p) for p in self.path], "reason": self.reason.value}
        if self.widget_enabled is not None:
            d["widget_enabled"] = self.widget_enabled
        return d


class GraphListener(Protocol):
    """Told of every change the explorer's incremental bookkeeping depends on."""

    def opened(self, nid: str, sig: str) -> None: ...      # an action became unexplored
    def closed(self, nid: str, sig: str) -> None: ...      # an unexplored action was settled
    def nav_changed(self, src: str, sig: str, old: str | None, dst: str) -> None: ...
    # ... an action's latest outcome changed (old None: first outcome)


class ScreenGraph:
    def __init__(self) -> None:
        self.g: nx.MultiDiGraph = nx.MultiDiGraph()
        self.by_key: dict[str, str] = {}
        self.nav: dict[str, dict[str, str]] = {}      # screen -> {action: last outcome}
        self.hits: list[GoalHit] = []
        self.root: str | None = None        # the app's launch screen
        self.launcher: str | None = None    # root of the uninstall path
        self.listener: GraphListener | None = None
        # kept as screens and statuses change, so a crawl step never rescans the whole graph
        self._app: list[str] = []
        self._kinds: dict[str, int] = {}
        self._open: dict[str, dict[str, None]] = {}   # screen -> unexplored sigs, in order

    # -- nodes ------------------------------------------------------------------------------
    def node_for(self, key: str) -> str | None:
        return self.by_key.get(key)

    def add_screen(self, key: str, kind: ScreenKind, *, activity: str, package: str,
                   dialog: bool, secure: bool, step: int) -> tuple[str, bool]:
        """The node id for ``key`` and whether it is new."""
        if key in self.by_key:
            return self.by_key[key], False
        prefix = {ScreenKind.APP: "s", ScreenKind.SYSTEM: "sys", ScreenKind.LAUNCHER: "launcher",
                  ScreenKind.EXTERNAL: "ext", ScreenKind.SYSTEM_DIALOG: "sysdlg"}[kind]
        n = self._kinds.get(kind.value, 0)
        nid = f"{prefix}{n + 1}" if kind is not ScreenKind.LAUNCHER or n else "launcher"
        self.g.add_node(nid, key=key, kind=kind.value, activity=activity, package=package,
                        dialog=dialog, secure=secure, first_seen=step, actions={})
        self._kinds[kind.value] = n + 1
        self._open[nid] = {}
        if kind is ScreenKind.APP:
            self._app.append(nid)
        self.by_key[key] = nid
        return nid, True

    def kind(self, nid: str) -> ScreenKind:
        return ScreenKind(self.g.nodes[nid]["kind"])

    def app_nodes(self) -> list[str]:
        """App screens in the order they were found (the graph's own list: do not modify)."""
        return self._app

    # -- actions ----------------------------------------------------------------------------
    def set_actions(self, nid: str, actions: Iterable[tuple[str, str, ActionStatus]]) -> None:
        """Register the actions of a screen once: (sig, label, initial status)."""
        acts: dict[str, dict[str, str]] = self.g.nodes[nid]["actions"]
        for sig, label, status in actions:
            if sig in acts:
                continue
            acts[sig] = {"label": label, "status": status.value}
            if status is ActionStatus.UNEXPLORED:
                self._open[nid][sig] = None
                if self.listener is not None:
                    self.listener.opened(nid, sig)

    def actions(self, nid: str) -> dict[str, dict[str, str]]:
        return self.g.nodes[nid]["actions"]

    def set_status(self, nid: str, sig: str, status: ActionStatus) -> None:
        acts = self.g.nodes[nid]["actions"]
        a = acts.get(sig)
        if a is None:
            return
        was_open = a["status"] == ActionStatus.UNEXPLORED.value
        a["status"] = status.value
        if was_open and status is not ActionStatus.UNEXPLORED:
            del self._open[nid][sig]
            if self.listener is not None:
                self.listener.closed(nid, sig)
        elif not was_open and status is ActionStatus.UNEXPLORED:
            self._open[nid] = {s: None for s, x in acts.items()
                               if x["status"] == ActionStatus.UNEXPLORED.value}
            if self.listener is not None:
                self.listener.opened(nid, sig)

    def status(self, nid: str, sig: str) -> ActionStatus | None:
        a = self.g.nodes[nid]["actions"].get(sig)
        return ActionStatus(a["status"]) if a else None

    def unexplored(self, nid: str) -> list[str]:
        return list(self._open.get(nid, ()))

    def open_actions(self, nid: str) -> dict[str, None]:
        """The unexplored actions of ``nid`` in registration order (read-only view)."""
        return self._open.get(nid) or {}

    # -- edges ------------------------------------------------------------------------------
    def add_edge(self, src: str, dst: str, sig: str, label: str, kind: str, step: int) -> None:
        out = self.nav.setdefault(src, {})
        old = out.get(sig)
        out[sig] = dst
        if old != dst and self.listener is not None:
            self.listener.nav_changed(src, sig, old, dst)
        if not self.g.has_edge(src, dst, key=sig) and not any(
                k == sig for _, _, k in self.g.out_edges(src, keys=True)):
            self.g.add_edge(src, dst, key=sig, action=label, kind=kind, step=step)

    # -- goals ------------------------------------------------------------------------------
    def add_hit(self, hit: GoalHit) -> None:
        if not any(h.goal == hit.goal and h.screen == hit.screen and h.sig == hit.sig
                   for h in self.hits):
            self.hits.append(hit)

    def found_goals(self) -> set[str]:
        return {h.goal for h in self.hits}

    def _walk_graph(self, scope: ScreenKind) -> nx.MultiDiGraph:
        keep = [n for n, d in self.g.nodes(data=True) if d["kind"] == scope.value
                or (scope is ScreenKind.SYSTEM and d["kind"] == ScreenKind.LAUNCHER.value)]
        return self.g.subgraph(keep)

    def shortest(self, root: str | None, goal: str, scope: ScreenKind) -> GoalResult | None:
        """Shortest found path to a widget of ``goal``, or None if not observed (reachably)."""
        if root is None or root not in self.g:
            return None
        sub = self._walk_graph(scope)
        dist, paths = nx.single_source_shortest_path_length(sub, root), None
        best: tuple[int, int, GoalHit] | None = None
        for i, h in enumerate(self.hits):
            if h.goal != goal or h.screen not in dist:
                continue
            cand = (dist[h.screen], i, h)
            if best is None or cand[:2] < best[:2]:
                best = cand
        if best is None:
            return None
        d, _, hit = best
        paths = nx.shortest_path(sub, root, hit.screen)
        steps: list[dict[str, str]] = []
        for a, b in zip(paths, paths[1:]):
            # deterministic choice among parallel edges: the earliest recorded one
            data = min(sub.get_edge_data(a, b).values(), key=lambda e: e["step"])
            steps.append({"screen": a, "action": data["action"]})
        steps.append({"screen": hit.screen, "action": f"tap {hit.label}"})
        return GoalResult(goal, True, d + 1, tuple(steps), GoalReason.FOUND, hit.enabled)

    # -- output -----------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        data = nx.node_link_data(self.g, edges="links")
        for n in data["nodes"]:
            n["actions"] = [{"sig": s, **a} for s, a in n["actions"].items()]
            n["goals"] = sorted({h.goal for h in self.hits if h.screen == n["id"]})
        data["graph"] = {"root": self.root, "launcher": self.launcher,
                         "hits": [h.__dict__ for h in self.hits]}
        return data
