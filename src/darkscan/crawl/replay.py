"""Walkable paths: which recorded edges depend on the back stack, and the cold-start replay that
checks every reported goal path (issue #10.2).

A shortest path in the screen graph may chain edges recorded in different contexts: "navigate
up" on a Terms page opened from the legal page leads to the legal page, and reusing that edge
after opening Terms from the paywall is a path no user can walk. The graph search
(``ScreenGraph.walk``) already refuses such chains; the replay proves the rest on the device:
stop the app, start it, walk the path action by action (every tap through the same safety check
as exploring), and check the goal's predicate on the last screen. A path that does not hold is
retried through the next-shortest candidate (the edge where it broke is excluded), up to
``MAX_CANDIDATES`` paths; then the shortest path is reported unverified with the reason.

Screens the path passed that do not show again on the replay are stepped over when the replay
already stands where the path goes on: the first-launch screens a cold start skips (consent,
guide pages), and dialogs shown on the first visits only; a dialog the path starts with that now
shows over another launch screen (the same consent over a login wall instead of a guide) is
answered with the same action. A first-time user meets them, so they stay in the count.

A path that does not hold on a later launch because a screen of the first launch's sequence
(before the main screen) no longer shows - the replay skips straight to a screen the first
launch reached after it - but that the crawl itself walked, action by action, right after its
first launch (a fresh install's cold start: ``Crawler.first_walk``) exists on the first launch
only: a privacy-policy link on a consent dialog shown once, whether the dialog is the first
screen or comes after a splash or a guide. It is reported ``verified_by: first_launch`` with
the reason a later launch could not walk it (``first_launch_only``), not as a broken path.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from darkscan.crawl.goals import Goal, GoalSet, Scope
from darkscan.crawl.graph import GoalResult
from darkscan.crawl.state import Screen, ScreenKind, Widget
from darkscan.lexicon.navigation import BACK_WORDS
from darkscan.lexicon.normalize import normalize

if TYPE_CHECKING:
    from darkscan.crawl.crawler import Crawler

MAX_CANDIDATES = 3


def returns_edge(kind: str, label: str, src: Screen | None, dst: Screen) -> bool:
    """Whether an action's outcome depended on the back stack: a system back, a tap on a
    "navigate up" arrow or a back button, or a dialog's dismissal onto the screen under it."""
    if kind == "back" or normalize(label) in BACK_WORDS:
        return True
    return bool(src is not None and src.dialog and src.under_key and not dst.dialog
                and src.under_key == dst.key)


def _widget(s: Screen | None, sig: str) -> Widget | None:
    """The widget ``sig`` on the screen shown now (its bounds of this time), if any."""
    return next((x for x in s.widgets if x.sig == sig), None) if s else None


class _Broken(Exception):
    def __init__(self, reason: str, edge: tuple[str, str] | None,
                 landed: tuple[int, str] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.edge = edge
        # the path's screen k was expected and screen ``cur`` showed instead: (k, cur)
        self.landed = landed


class Replayer:
    """Replays goal paths on the crawler's device, logging every action as a step."""

    def __init__(self, crawler: Crawler) -> None:
        self.c = crawler

    def _cold_start(self, scope: Scope, result: GoalResult) -> str:
        c = self.c
        if scope is Scope.APP:
            return c.launch()
        # the system path: stop the system apps it walks through, start from the launcher
        nodes = c.graph.g.nodes
        for pkg in sorted({str(nodes[a]["package"]) for a, _, _ in result.edges
                           if c.graph.kind(a) is ScreenKind.SYSTEM}):
            c.device.app_stop(pkg)
        return c.home()

    def walk(self, goal: Goal, result: GoalResult) -> None:
        """Walk ``result``'s path from a cold start; raise ``_Broken`` where it does not hold."""
        c = self.c
        cur = self._cold_start(goal.scope, result)
        edges = list(result.edges)
        first = edges[0][0] if edges else result.path[-1]["screen"]
        i = 0
        same_step = False
        if cur != first:
            # first-launch screens (consent, guide pages...) that do not show again: go on from
            # where the path passes the screen the cold start showed
            i = self._step_over(cur, edges, 0, "")
            if i < 0 and edges and self._same_dialog(cur, edges[0]):
                i, same_step = 0, True   # the same dialog over another launch screen
            if i < 0:
                raise _Broken(f"the cold start showed {cur}, not {first} (a screen shown on "
                              "the first launch only?)", edges[0][:2] if edges else None,
                              (0, cur))
        while i < len(edges):
            src, sig, want = edges[i]
            if same_step:
                src, same_step = cur, False
            if cur != src:
                raise _Broken(f"step {i + 1}: on {cur}, expected {src}", edges[i - 1][:2]
                              if i else None)
            s = c.cur_screen
            if sig == "back":
                cur = c.back(cur)
            else:
                w = _widget(s, sig)
                if w is None:
                    raise _Broken(f"step {i + 1}: {c.graph.edge_data(src, sig)['action']!r} "
                                  f"is not on {src}", (src, sig))
                # the same guard as exploring, with the screen's risk as first judged
                stop = c.flow.safety.check(w, s, risk=c.risks.get(src))
                if stop is not None:
                    raise _Broken(f"step {i + 1}: safety ({stop.reason.value})", (src, sig))
                nxt = c.tap(w, src, edge=False)
                if nxt is None:
                    raise _Broken(f"step {i + 1}: {w.label!r} could not be tapped", (src, sig))
                cur = nxt
                for _ in range(int(c.graph.edge_data(src, sig).get("taps", 1)) - 1):
                    # a button that needed several taps (identical pages): tap it again
                    w2 = _widget(c.cur_screen, sig)
                    nxt = c.tap(w2, src, edge=False) if cur == src and w2 is not None else None
                    if nxt is None:
                        break
                    cur = nxt
            i += 1
            if cur != want:
                j = self._step_over(cur, edges, i, result.path[-1]["screen"])
                if j < 0:
                    raise _Broken(f"step {i}: {c.graph.edge_data(src, sig)['action']!r} led to "
                                  f"{cur}, not {want}", (src, sig), (i, cur))
                i = j
        s = c.cur_screen
        if s is None or not any(goal.match(w) for w in s.widgets):
            raise _Broken(f"the last screen ({cur}) shows no {goal.name} control",
                          edges[-1][:2] if edges else None)

    def _same_dialog(self, cur: str, edge: tuple[str, str, str]) -> bool:
        """Whether ``cur`` is a dialog offering the action the path starts with on its own
        first dialog (a consent shown over a screen of the launch sequence that changed)."""
        g = self.c.graph
        src, sig, _ = edge
        s = self.c.cur_screen
        return (sig != "back" and g.g.nodes[src]["dialog"] and g.kind(cur) is ScreenKind.APP
                and g.g.nodes[cur]["dialog"] and s is not None
                and any(w.sig == sig for w in s.widgets))

    def _first_launch_only(self, goal: Goal, result: GoalResult, b: _Broken) -> bool:
        """Whether ``result``'s path exists on the first launch only: the crawl's first launch
        itself took it (it starts on that launch's screen, and its actions are the first ones
        taken after it), and the replay broke because a screen of that launch's sequence did
        not show again - a screen before the main screen, skipped straight to a screen the
        first launch reached after it. A control on the first launch's first screen itself:
        the cold start showed another screen."""
        c = self.c
        if goal.scope is not Scope.APP or c.graph.root is None or b.landed is None:
            return False
        start = result.edges[0][0] if result.edges else result.path[-1]["screen"]
        n = len(result.edges)
        if start != c.graph.root or tuple(c.first_walk[:n]) != tuple(result.edges):
            return False
        k, cur = b.landed
        if n == 0:
            return k == 0   # the control is on the first launch's first screen itself
        after = [c.graph.root, *(dst for _, _, dst in c.first_walk)][k + 1:]
        return cur in after and c.graph.main in after

    @staticmethod
    def _step_over(cur: str, edges: list[tuple[str, str, str]], i: int, last: str) -> int:
        """Where to go on when the path's next screens did not show this time and ``cur`` is
        further down the path (screens shown on the first launch / first visits only: a
        consent given, a guide finished, a popup shown once); -1 when ``cur`` is not."""
        for j in range(i, len(edges)):
            if edges[j][0] == cur:
                return j
        return len(edges) if cur == last else -1

    def verify(self, goal: Goal, first: GoalResult, root: str | None,
               scope: ScreenKind) -> GoalResult:
        """Replay ``first``; on failure, the next-shortest candidates; the verified result or
        ``first`` marked unverified with the reason."""
        exclude: set[tuple[str, str]] = set()
        cand: GoalResult | None = first
        reason = ""
        tried = 0
        while cand is not None and tried < MAX_CANDIDATES:
            tried += 1
            try:
                self.walk(goal, cand)
            except _Broken as b:
                if self._first_launch_only(goal, cand, b):
                    return replace(cand, verified=True, candidates=tried,
                                   verified_by="first_launch", first_launch_only=b.reason)
                reason = reason or b.reason
                if b.edge is None or b.edge in exclude:
                    break
                exclude.add(b.edge)
                cand = self.c.graph.shortest(root, goal.name, scope, frozenset(exclude))
                continue
            return replace(cand, verified=True, candidates=tried, verified_by="replay")
        return replace(first, verified=False, unverified_reason=reason, candidates=tried)


def verify_all(crawler: Crawler, goals: GoalSet) -> dict[str, GoalResult]:
    """Every found goal's path, replayed (see the module docstring)."""
    c = crawler
    out: dict[str, GoalResult] = {}
    rep = Replayer(c)
    for g in goals.goals:
        if g.scope is Scope.SYSTEM:
            root, scope = c.graph.launcher, ScreenKind.SYSTEM
        else:
            root, scope = c.graph.root, ScreenKind.APP
        res = c.graph.shortest(root, g.name, scope)
        if res is not None:
            out[g.name] = rep.verify(g, res, root, scope)
    return out
