"""The incremental explorer takes exactly the decision a full search over every screen takes.

The reference below is the plain policy (docs/crawler.md): breadth-first search from the
current screen over the latest known outcomes, then the minimum of (-priority, distance,
screen first seen, registration order) over every unexplored, unblocked action of every app
screen. Every decision of real crawls (bundled apps, test apps, a generated 60-screen app with
one-time popups and cross links) is checked against it.
"""

from __future__ import annotations

import importlib.util
from collections import deque
from pathlib import Path

import pytest

from darkscan.crawl import Budget, crawl, virtual_flow
from darkscan.crawl import crawler as crawler_mod
from darkscan.crawl.explorer import Decision, Explorer, Move
from darkscan.crawl.state import ScreenKind

REPO = Path(__file__).resolve().parents[2]
APPS = sorted((REPO / "src/darkscan/apps").glob("*.yaml")) + sorted(
    (REPO / "tests/apps").glob("*.yaml"))


def reference(ex: Explorer, cur: str, blocked: set[tuple[str, str]]) -> Decision:
    g = ex.graph
    routes: dict[str, tuple[int, str | None]] = {cur: (0, None)}
    q = deque([cur])
    while q:
        n = q.popleft()
        d, first = routes[n]
        for sig, dst in g.nav.get(n, {}).items():
            if dst != n and g.kind(dst) is ScreenKind.APP and dst not in routes:
                routes[dst] = (d + 1, first if first is not None else sig)
                q.append(dst)
    best = None
    any_left = False
    for nid in [n for n, d in g.g.nodes(data=True) if d["kind"] == "app"]:
        for sig, a in g.actions(nid).items():
            if a["status"] != "unexplored" or (nid, sig) in blocked:
                continue
            any_left = True
            if nid not in routes:
                continue
            score = (-ex.prio.get((nid, sig), 1), routes[nid][0],
                     g.g.nodes[nid]["first_seen"], ex.order.get((nid, sig), 0))
            if best is None or score < best[0]:
                best = (score, nid, sig)
    if best is None:
        return Decision(Move.RELAUNCH) if any_left else Decision(Move.DONE)
    _, nid, sig = best
    if nid == cur:
        return Decision(Move.ACT, sig, (nid, sig))
    return Decision(Move.NAV, routes[nid][1], (nid, sig))


class Checked(Explorer):
    decisions = 0
    walks = 0

    def choose(self, cur: str, blocked: set[tuple[str, str]]) -> Decision:
        expected = reference(self, cur, blocked)
        walking = self._walk is not None
        got = super().choose(cur, blocked)
        assert got == expected, f"decision {Checked.decisions}: {got} != {expected}"
        Checked.decisions += 1
        Checked.walks += walking and got.move is Move.NAV
        return got


def generated(tmp_path: Path) -> Path:
    spec = importlib.util.spec_from_file_location("bigapp", REPO / "bench" / "bigapp.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.write_app(tmp_path / "gen60.yaml", 60, seed=3)


def test_every_decision_equals_the_full_search(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crawler_mod, "Explorer", Checked)
    Checked.decisions = Checked.walks = 0
    for app in [*APPS, generated(tmp_path)]:
        crawl(virtual_flow(app, budget=Budget(max_steps=2000, max_minutes=30)), None)
    # the checks ran, and the NAV-walk shortcut was exercised
    assert Checked.decisions > 1000 and Checked.walks > 100
