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

Only walkable paths count. An edge whose result depended on the back stack (a system back, a
"navigate up" arrow or back button, a dialog's dismissal back to the screen under it) is marked
``returns``; a path may use one only to dismiss a dialog, and then it leads to the screen that
lay under the dialog *on that path* (remembered from the edge that opened it, ``under``), not to
wherever the edge led when it was recorded. A back press from a full screen never shortens a
path from a fresh start (it returns to a screen the path already passed), so paths skip them.
The crawler replays every reported path from a cold start (``crawl/replay.py``).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from enum import Enum
from typing import Any, Iterable, Protocol

import networkx as nx

from darkscan.crawl.goals import GoalSet, Scope
from darkscan.crawl.state import Screen, ScreenKind


class GoalReason(Enum):
    FOUND = "found"
    EXHAUSTED = "exhausted"   # every reachable action was tried, faulty ones with retries
    BUDGET = "budget"         # the step or time budget ran out first
    FAULTY = "faulty"         # actions whose taps met faults were left before their retries


class ActionStatus(Enum):
    UNEXPLORED = "unexplored"
    EXPLORED = "explored"
    DENIED = "denied"        # safety: stopped before it
    FAILED = "failed"        # the widget could not be found again when we tried
    UNREACHABLE = "unreachable"  # its screen never came back (a first-launch consent...)


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
    #: the path as graph edges (screen, action sig, screen expected next) - for the replay
    edges: tuple[tuple[str, str, str], ...] = ()
    hit_sig: str = ""
    #: replay from a cold start: None = not replayed, else whether it reached the goal
    verified: bool | None = None
    unverified_reason: str = ""
    candidates: int = 0                  # paths replayed to get this answer
    verified_by: str = ""                # replay | first_launch (the crawl's own cold start)
    #: verified_by first_launch: why a later launch could not walk the path (the replay's)
    first_launch_only: str = ""

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"found": self.found, "steps": self.steps,
                             "path": [dict(p) for p in self.path], "reason": self.reason.value}
        if self.widget_enabled is not None:
            d["widget_enabled"] = self.widget_enabled
        if self.verified is not None:
            d["verified"] = self.verified
            d["verified_steps"] = self.steps if self.verified else None
            if self.verified_by:
                d["verified_by"] = self.verified_by
            if self.first_launch_only:
                d["first_launch_only"] = self.first_launch_only
            if not self.verified and self.unverified_reason:
                d["unverified_reason"] = self.unverified_reason
            d["candidates"] = self.candidates
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
        self.main: str | None = None        # the main screen (crawl/mainscreen.py), at the end

    # -- nodes ------------------------------------------------------------------------------
    def node_for(self, key: str) -> str | None:
        return self.by_key.get(key)

    def add_screen(self, key: str, kind: ScreenKind, *, activity: str, package: str,
                   dialog: bool, secure: bool, step: int, under: str = "") -> tuple[str, bool]:
        """The node id for ``key`` and whether it is new."""
        if key in self.by_key:
            return self.by_key[key], False
        prefix = {ScreenKind.APP: "s", ScreenKind.SYSTEM: "sys", ScreenKind.LAUNCHER: "launcher",
                  ScreenKind.EXTERNAL: "ext", ScreenKind.SYSTEM_DIALOG: "sysdlg"}[kind]
        n = self._kinds.get(kind.value, 0)
        nid = f"{prefix}{n + 1}" if kind is not ScreenKind.LAUNCHER or n else "launcher"
        self.g.add_node(nid, key=key, kind=kind.value, activity=activity, package=package,
                        dialog=dialog, secure=secure, first_seen=step, actions={},
                        under=under)
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
    def add_edge(self, src: str, dst: str, sig: str, label: str, kind: str, step: int, *,
                 returns: bool = False, under: str = "") -> None:
        """Record an action's outcome. ``returns``: the outcome depended on the back stack;
        ``under``: key of the screen under ``dst`` when ``dst`` is a dialog.

        The first outcome is the edge, except that a fault (the app left: a crash, another
        app, a system dialog; or a blank screen) gives way to the first outcome inside the app
        when a retry works (the fault edge stays, for the record); so does a first outcome that
        stayed on the screen when tapping again moved on (see ``taps``)."""
        out = self.nav.setdefault(src, {})
        old = out.get(sig)
        out[sig] = dst
        if old != dst and self.listener is not None:
            self.listener.nav_changed(src, sig, old, dst)
        if self.g.has_edge(src, dst, key=sig):
            return
        before = [v for _, v, k in self.g.out_edges(src, keys=True) if k == sig]
        if not before or (self._app_ok(src) and self._app_ok(dst) and dst != src
                          and not any(self._app_ok(v) and v != src for v in before)):
            self.g.add_edge(src, dst, key=sig, action=label, kind=kind, step=step,
                            returns=returns, under=under)

    def _app_ok(self, nid: str) -> bool:
        """An app screen that is not a fault (blank) outcome."""
        d = self.g.nodes[nid]
        return d["kind"] == ScreenKind.APP.value and not d.get("blank")

    def note_fault(self, nid: str, sig: str) -> int:
        """Count a faulty outcome of an action; the count so far."""
        a = self.g.nodes[nid]["actions"].get(sig)
        if a is None:
            return 0
        a["faults"] = int(a.get("faults", 0)) + 1
        return a["faults"]

    # -- goals ------------------------------------------------------------------------------
    def add_hit(self, hit: GoalHit) -> None:
        if not any(h.goal == hit.goal and h.screen == hit.screen and h.sig == hit.sig
                   for h in self.hits):
            self.hits.append(hit)

    def match_goals(self, nid: str, screen: Screen, goals: GoalSet, scope: Scope,
                    app_names: Iterable[str]) -> None:
        """Record every widget of ``screen`` that one of ``goals`` of ``scope`` matches.

        A system screen counts only when it names the app (its Settings page, not another's).
        """
        if scope is Scope.SYSTEM:
            text = " ".join(screen.texts)
            if not any(n and n in text for n in app_names):
                return
        for g in goals.goals:
            if g.scope is not scope:
                continue
            for w in screen.widgets:
                clue = g.match(w)
                if clue:
                    self.add_hit(GoalHit(g.name, nid, w.sig, w.label, clue, w.enabled))

    def found_goals(self) -> set[str]:
        return {h.goal for h in self.hits}

    def _walk_graph(self, scope: ScreenKind) -> nx.MultiDiGraph:
        keep = [n for n, d in self.g.nodes(data=True) if d["kind"] == scope.value
                or (scope is ScreenKind.SYSTEM and d["kind"] == ScreenKind.LAUNCHER.value)]
        return self.g.subgraph(keep)

    def edge_data(self, src: str, sig: str) -> dict[str, Any]:
        """The recorded (first) outcome of action ``sig`` on ``src`` (a retried fault's
        working outcome before the fault)."""
        edges = [(v, d) for _, v, k, d in self.g.out_edges(src, keys=True, data=True) if k == sig]
        return next((d for v, d in edges if self._app_ok(v) and v != src),
                    next((d for v, d in edges if self._app_ok(v)), edges[0][1]))

    def _under_node(self, key: str) -> str | None:
        return self.by_key.get(key) if key else None

    def walk(self, root: str, scope: ScreenKind,
             exclude: frozenset[tuple[str, str]] = frozenset()
             ) -> dict[tuple[str, str | None], tuple[int, tuple[str, str, str] | None,
                                                     tuple[str, str | None] | None]]:
        """BFS over walkable states (screen, screen under it when it is a dialog) from a fresh
        start on ``root``: state -> (actions, edge that reached it, previous state).

        ``exclude``: (screen, action) edges a replay showed not to hold."""
        sub = self._walk_graph(scope)
        nodes = self.g.nodes

        def ctx_of(node: str, under_key: str) -> str | None:
            if not nodes[node]["dialog"]:
                return None
            u = self._under_node(under_key)
            return u if u is not None and u in sub and u != node else None

        start = (root, ctx_of(root, nodes[root].get("under", "")))
        out: dict[tuple[str, str | None], tuple[int, tuple[str, str, str] | None,
                                                tuple[str, str | None] | None]] = {
            start: (0, None, None)}
        # Dijkstra (an edge costs its ``taps``: a button tapped twice on a screen that looks the
        # same, e.g. identical guide pages); with unit costs it visits states in BFS order
        order = 0
        heap: list[tuple[int, int, tuple[str, str | None]]] = [(0, order, start)]
        while heap:
            d, _, st = heapq.heappop(heap)
            if d > out[st][0]:
                continue
            node, ctx = st
            # deterministic: edges in the order they were first walked
            edges = sorted(sub.out_edges(node, keys=True, data=True), key=lambda e: e[3]["step"])
            for _, dst, sig, data in edges:
                if (node, sig) in exclude or dst == node:
                    continue
                if data.get("returns"):
                    if ctx is None:
                        continue  # a back from a full screen: depends on history we lack
                    nxt: tuple[str, str | None] = (ctx, None)
                else:
                    nxt = (dst, ctx_of(dst, data.get("under", "")))
                nd = d + int(data.get("taps", 1))
                if nxt not in out or nd < out[nxt][0]:
                    out[nxt] = (nd, (node, sig, nxt[0]), st)
                    order += 1
                    heapq.heappush(heap, (nd, order, nxt))
        return out

    def shortest(self, root: str | None, goal: str, scope: ScreenKind,
                 exclude: frozenset[tuple[str, str]] = frozenset()) -> GoalResult | None:
        """Shortest walkable path to a widget of ``goal``, or None if not observed (reachably)."""
        if root is None or root not in self.g:
            return None
        states = self.walk(root, scope, exclude)
        best: tuple[int, int, tuple[str, str | None], GoalHit] | None = None
        for i, h in enumerate(self.hits):
            if h.goal != goal:
                continue
            for st, (d, _, _) in states.items():
                if st[0] == h.screen and (best is None or (d, i) < best[:2]):
                    best = (d, i, st, h)
        if best is None:
            return None
        d, _, st, hit = best
        edges: list[tuple[str, str, str]] = []
        cur: tuple[str, str | None] | None = st
        while cur is not None:
            _, e, prev = states[cur]
            if e is not None:
                edges.append(e)
            cur = prev
        edges.reverse()
        steps: list[dict[str, str]] = []
        for a, sig, b in edges:
            data = self.g.get_edge_data(a, b, sig) or self.edge_data(a, sig)
            steps += [{"screen": a, "action": data["action"]}] * int(data.get("taps", 1))
        steps.append({"screen": hit.screen, "action": f"tap {hit.label}"})
        return GoalResult(goal, True, d + 1, tuple(steps), GoalReason.FOUND, hit.enabled,
                          edges=tuple(edges), hit_sig=hit.sig)

    def app_edges(self) -> list[tuple[str, str, dict[str, Any]]]:
        """(source, target, data) of the first-outcome edges between app screens."""
        return [(u, v, d) for u, v, d in self.g.edges(data=True)
                if self._app_ok(u) and self._app_ok(v)]

    # -- output -----------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        data = nx.node_link_data(self.g, edges="links")
        for n in data["nodes"]:
            n["actions"] = [{"sig": s, **a} for s, a in n["actions"].items()]
            n["goals"] = sorted({h.goal for h in self.hits if h.screen == n["id"]})
        data["graph"] = {"root": self.root, "launcher": self.launcher, "main": self.main,
                         "hits": [h.__dict__ for h in self.hits]}
        return data
