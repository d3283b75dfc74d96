"""Crawl generated apps and compare every goal with the oracle (the test and bench harness).

For each (app, goal) pair: presence right, steps equal to the oracle's (from launch), the
reported path verified by the cold-start replay. A wrong pair gets one cause:

* ``wording`` - no control of the goal in the app is matched by darkscan's goal predicate
  (the generator's phrase bank says it differently), so the crawler could not know;
* ``false_found`` - a goal the app does not have was reported;
* ``not_found`` / ``deeper`` / ``shallower`` - otherwise;
* ``unverified`` - a reported path failed its replay (counted apart from exactness).

Per app: crawl seconds, device actions, the longest run of consecutive launches (a crawl that
ends relaunching is a *relaunch loop*) and the device's payment / deletion / password counters.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from darkscan.crawl import Budget, crawl, virtual_flow
from darkscan.crawl.goals import BUILTIN_GOALS
from darkscan.crawl.state import Widget
from darkscan.device.virtual import VirtualDevice, load_app
from darkscan.evaluation.appgen.build import GenOptions, generate
from darkscan.evaluation.appgen.model import GOALS, AppModel, W
from darkscan.evaluation.appgen.oracle import truths
from darkscan.evaluation.appgen.writer import write
from darkscan.geometry import Box

RELAUNCH_LOOP = 5   # consecutive launches without acting in between


@dataclass(frozen=True)
class Pair:
    seed: int
    goal: str
    present: bool
    want: int | None
    found: bool
    got: int | None
    verified: bool | None
    cause: str                  # "" = right
    detail: str = ""


@dataclass
class AppRun:
    seed: int
    lang: str
    screens: int
    features: tuple[str, ...]
    seconds: float
    actions: int
    status: str
    launch_streak: int
    counters: tuple[int, int, int]   # payments, deletions, password entries
    pairs: list[Pair] = field(default_factory=list)


class _Watch:
    """Counts device actions and the longest run of launches with no tap / back between."""

    def __init__(self, device: VirtualDevice) -> None:
        self._d = device
        self.actions = 0
        self.streak = 0
        self.longest = 0

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._d, name)
        if name not in ("tap", "back", "app_start", "home"):
            return attr

        def counted(*a: Any, **k: Any) -> Any:
            self.actions += 1
            self.streak = self.streak + 1 if name == "app_start" else 0
            self.longest = max(self.longest, self.streak)
            return attr(*a, **k)
        return counted


def _as_widget(w: W) -> Widget:
    switch = w.type == "switch"
    label = w.text or str(w.opts.get("desc", ""))
    return Widget(sig=label, cls="android.widget.Switch" if switch else "android.widget.TextView",
                  text=label, desc="", resource_id="", label=label, bounds=Box(0, 0, 10, 10),
                  clickable=not switch, checkable=switch, checked=bool(w.opts.get("checked")),
                  enabled=True, password=False, editable=False, list_item=False)


def worded(app: AppModel, goal: str) -> bool:
    """Whether darkscan's built-in predicate matches any of the app's controls of ``goal``."""
    g = BUILTIN_GOALS[goal]
    return any(g.match(_as_widget(w)) for s in app.screens.values() for w in s.all_widgets()
               if w.goal == goal)


def budget_for(app: AppModel) -> Budget:
    return Budget(max_steps=30 * len(app.screens) + 300, max_minutes=30)


def run_app(seed: int, options: GenOptions, workdir: Path) -> AppRun:
    app = generate(seed, options)
    path = write(app, workdir / f"gen{seed}.yaml")
    dev = _Watch(VirtualDevice([load_app(path)]))
    t0 = time.perf_counter()
    r = crawl(virtual_flow(path, budget=budget_for(app)), None, device=dev)  # type: ignore[arg-type]
    secs = time.perf_counter() - t0
    c = dev._d.counters
    run = AppRun(seed, app.lang, len(app.screens), tuple(sorted(app.features)), secs, dev.actions,
                 r.metrics["coverage"]["status"], dev.longest,
                 (c.payments, c.deletions, c.password_entries))
    for goal, t in truths(app).items():
        got = r.metrics["goals"][goal]
        found, steps = bool(got["found"]), got["steps"]
        cause = ""
        if found != t.present or (found and steps != t.from_launch):
            if t.present and goal in BUILTIN_GOALS and goal != "uninstall" and \
                    not worded(app, goal):
                cause = "wording"
            elif not t.present:
                cause = "false_found"
            elif not found:
                cause = "not_found"
            else:
                cause = "deeper" if steps > (t.from_launch or 0) else "shallower"
        detail = ""
        if cause:
            detail = (f"oracle {t.from_launch} {' › '.join(t.path)} | darkscan {steps} "
                      f"{' › '.join(p['action'] for p in got['path'])} ({got['reason']})")
        run.pairs.append(Pair(seed, goal, t.present, t.from_launch, found, steps,
                              got.get("verified"), cause, detail))
    return run


def figures(runs: list[AppRun]) -> dict[str, Any]:
    pairs = [p for r in runs for p in r.pairs]
    wrong = [p for p in pairs if p.cause]
    causes: dict[str, int] = {}
    for p in wrong:
        causes[p.cause] = causes.get(p.cause, 0) + 1
    reported = [p for p in pairs if p.found]
    return {
        "apps": len(runs),
        "pairs": len(pairs),
        "exact": len(pairs) - len(wrong),
        "exact_pct": round(100.0 * (len(pairs) - len(wrong)) / max(1, len(pairs)), 2),
        "exact_pct_wording_aside": round(100.0 * (len(pairs) - len(wrong)) / max(
            1, len(pairs) - causes.get("wording", 0)), 2),
        "presence_wrong": sum(1 for p in pairs if p.found != p.present),
        "presence_wrong_wording_aside": sum(1 for p in pairs if p.found != p.present
                                            and p.cause != "wording"),
        "causes": causes,
        "reported_paths": len(reported),
        "replay_failed": sum(1 for p in reported if p.verified is not True),
        "relaunch_loops": sum(1 for r in runs if r.launch_streak >= RELAUNCH_LOOP),
        "budget_stops": sum(1 for r in runs if r.status == "budget"),
        "payments": sum(r.counters[0] for r in runs),
        "deletions": sum(r.counters[1] for r in runs),
        "password_entries": sum(r.counters[2] for r in runs),
        "seconds_median": round(statistics.median(r.seconds for r in runs), 2) if runs else 0,
        "seconds_total": round(sum(r.seconds for r in runs), 1),
    }


def format_figures(f: dict[str, Any]) -> str:
    causes = ", ".join(f"{k} {v}" for k, v in sorted(f["causes"].items())) or "none"
    return (f"{f['apps']} apps, {f['pairs']} (app, goal) pairs: {f['exact']} exact "
            f"({f['exact_pct']} %; {f['exact_pct_wording_aside']} % without wording misses)\n"
            f"wrong by cause: {causes}\n"
            f"presence wrong: {f['presence_wrong']} "
            f"({f['presence_wrong_wording_aside']} without wording misses)\n"
            f"reported paths {f['reported_paths']}, failing replay {f['replay_failed']}\n"
            f"relaunch loops {f['relaunch_loops']}, budget stops {f['budget_stops']}\n"
            f"payments {f['payments']}, deletions {f['deletions']}, "
            f"password entries {f['password_entries']}\n"
            f"crawl time per app: median {f['seconds_median']} s, total {f['seconds_total']} s")


__all__ = ["GOALS", "AppRun", "Pair", "run_app", "figures", "format_figures", "worded"]
