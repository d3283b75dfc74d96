"""Steps (and time) to reach the goals: darkscan's explorer vs random-tap and breadth-first
baselines.

    python bench/crawl.py [--seeds 5] [--cap 600] [--generated 20]
    python bench/crawl.py --scale [--sizes 50,200,800]   # ms per step as apps grow

With ``--scale`` it runs bench/crawl_scale.py instead: darkscan's own time per step (device
time subtracted, run-folder writes included) on generated apps of 50 / 200 / 800 screens.

Same virtual apps (every bundled / test app whose design has a cancel_subscription depth) and
same seeds for both. darkscan is deterministic, so its seed changes nothing; the baseline taps a
uniformly random clickable widget of the app's top window (relaunching when it leaves the app,
never tapping what darkscan's safety rules forbid) until a cancel_subscription widget is on
screen. A step is an action the device performed - a tap, a back, a (re)launch, home - counted
on the device itself for both, so darkscan's logged-but-not-taken ``stopped_before`` lines do not
count; darkscan's observation swipes (reading a long screen whole) are shown apart. Prints
per-app steps and time, the median baseline/darkscan step ratio and darkscan's decision time
per step.

Then the breadth-first baseline, per goal: DroidBot's BFS explores the nearest unexplored event
first and knows no goal words. Here it is darkscan's own crawler (same state abstraction, same
safety rules, same recovery) with every action at one priority, so the only difference is the
goal-directed ordering (goal words, toward-goal labels, dialogs answered first). Both crawl the
bundled / test apps and ``--generated N`` generated apps (seeds 0..N-1, 10-40 screens) until
exhausted (no replay); for every goal both find, the device actions taken when its control was
first on screen are compared (a goal BFS never finds counts at the cap). Prints the median
BFS/darkscan action ratio per goal and over all (app, goal) pairs.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

from darkscan.crawl import Budget, Crawler, Progress, crawl, virtual_flow
from darkscan.crawl.explorer import Explorer
from darkscan.crawl.goals import BUILTIN_GOALS, GoalSet
from darkscan.crawl.safety import SafetyRules
from darkscan.crawl.state import Screen, ScreenKind, extract_widgets, top_windows
from darkscan.device.hierarchy import parse_hierarchy
from darkscan.device.protocol import Device
from darkscan.device.virtual import VirtualDevice, load_app

REPO = Path(__file__).resolve().parents[1]
GOAL = "cancel_subscription"


def apps() -> list[Path]:
    out = []
    for p in sorted((REPO / "src/darkscan/apps").glob("*.yaml")) + sorted(
            (REPO / "tests/apps").glob("*.yaml")):
        design = (yaml.safe_load(p.read_text(encoding="utf-8")) or {}).get("design") or {}
        if (design.get("goals") or {}).get(GOAL) is not None:
            out.append(p)
    return out


class CountingDevice:
    """A device that counts the actions it performs (taps, backs, launches, home; swipes apart)."""

    ACTIONS = ("tap", "back", "app_start", "home")

    def __init__(self, device: Device) -> None:
        self._device = device
        self.actions = 0
        self.swipes = 0

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        attr = getattr(self._device, name)
        if name in self.ACTIONS or name == "swipe":
            def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
                if name == "swipe":
                    self.swipes += 1
                else:
                    self.actions += 1
                return attr(*args, **kwargs)
            return counted
        return attr


def darkscan_steps(app: Path, cap: int) -> tuple[int | None, int, float, float]:
    """(device actions until the goal widget was seen, swipes, seconds, mean decision ms)."""
    flow = virtual_flow(app, budget=Budget(max_steps=cap, max_minutes=30))
    flow = type(flow)(**{**flow.__dict__, "goals": GoalSet(tuple(
        g for g in GoalSet().goals if g.scope.value == "app"))})
    dev = CountingDevice(VirtualDevice([load_app(app)]))
    t0 = time.perf_counter()
    r = crawl(flow, None, device=dev, stop_on_goal=GOAL, verify=False)  # type: ignore[arg-type]
    secs = time.perf_counter() - t0
    found = GOAL in {n for n, g in r.metrics["goals"].items() if g["found"]}
    return (dev.actions if found else None), dev.swipes, secs, r.decision_ms


def random_steps(app: Path, seed: int, cap: int) -> tuple[int | None, float]:
    """(device actions until the goal widget was on screen, seconds)."""
    rng = random.Random(seed)
    a = load_app(app)
    dev = CountingDevice(VirtualDevice([a]))
    goal = BUILTIN_GOALS[GOAL]
    rules = SafetyRules()
    w, h = dev.window_size()
    t0 = time.perf_counter()
    dev.app_start(a.package)
    while dev.actions <= cap:
        cur = dev.app_current()
        if cur.package != a.package:
            dev.app_start(a.package)
            continue
        keyed, dialog, _ = top_windows(parse_hierarchy(dev.dump_hierarchy()).for_package(
            a.package), w, h)
        widgets = extract_widgets(keyed, 0, w, h)
        screen = Screen(ScreenKind.APP, a.package, cur.activity, "", dialog, False,
                        tuple(widgets), texts=tuple(keyed.texts()))
        if any(goal.match(x) for x in widgets):
            return dev.actions, time.perf_counter() - t0
        options = [x for x in widgets if x.clickable and rules.check(x, screen) is None]
        if not options:
            dev.back()
            continue
        x, y = rng.choice(options).bounds.center
        dev.tap(x, y)
    return None, time.perf_counter() - t0


class BreadthFirst(Explorer):
    """DroidBot-style BFS: nearest unexplored action first, no goal words (one priority)."""

    def register(self, nid: str, sig: str, prio: int) -> None:
        super().register(nid, sig, 1)


def goal_actions(app: Path, cap: int, bfs: bool) -> dict[str, int]:
    """Device actions taken when each app goal's control was first on screen."""
    flow = virtual_flow(app, budget=Budget(max_steps=cap, max_minutes=30))
    flow = type(flow)(**{**flow.__dict__, "goals": GoalSet(tuple(
        g for g in GoalSet().goals if g.scope.value == "app"))})
    a = load_app(app)
    dev = CountingDevice(VirtualDevice([a]))
    first: dict[str, int] = {}

    def seen(p: Progress) -> None:
        for g in p.goals_found:
            first.setdefault(g, dev.actions)

    c = Crawler(dev, flow, a.package, progress=seen, verify=False)  # type: ignore[arg-type]
    if bfs:
        c.explorer = BreadthFirst(c.graph)
    c.run()
    return first


def bfs_comparison(paths: list[Path], cap: int) -> None:
    per_goal: dict[str, list[float]] = {}
    print(f"\n{'app':22} {'goal':20} {'darkscan':>9} {'bfs':>6} {'ratio':>6}")
    for app in paths:
        ds, bf = goal_actions(app, cap, False), goal_actions(app, cap, True)
        for goal, n in sorted(ds.items()):
            b = bf.get(goal, cap)
            ratio = b / max(1, n)
            per_goal.setdefault(goal, []).append(ratio)
            print(f"{app.stem:22} {goal:20} {n:>9} {bf.get(goal, f'>{cap}')!s:>6} {ratio:>6.2f}")
    allr = [r for rs in per_goal.values() for r in rs]
    for goal, rs in sorted(per_goal.items()):
        print(f"median bfs/darkscan actions to reach {goal}: {statistics.median(rs):.2f} "
              f"over {len(rs)} apps")
    if allr:
        print(f"median bfs/darkscan actions to reach a goal: {statistics.median(allr):.2f} "
              f"over {len(allr)} (app, goal) pairs")


def generated_apps(n: int, out: Path) -> list[Path]:
    from darkscan.evaluation.appgen import GenOptions, generate, write

    return [write(generate(s, GenOptions(min_screens=10, max_screens=40)), out / f"gen{s}.yaml")
            for s in range(n)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--cap", type=int, default=600, help="give up after this many steps")
    ap.add_argument("--scale", action="store_true", help="ms per step on 50/200/800 screens")
    ap.add_argument("--sizes", default="50,200,800", help="app sizes for --scale")
    ap.add_argument("--generated", type=int, default=20,
                    help="generated apps in the breadth-first comparison")
    ap.add_argument("--bfs-only", action="store_true", help="skip the random-tap baseline")
    args = ap.parse_args(argv)
    if args.scale:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import crawl_scale

        return crawl_scale.main(["--sizes", args.sizes])
    if not args.bfs_only:
        random_comparison(args.seeds, args.cap)
    with tempfile.TemporaryDirectory() as tmp:
        everything = all_apps() + generated_apps(args.generated, Path(tmp))
        bfs_comparison(everything, max(args.cap, 2000))
    return 0


def all_apps() -> list[Path]:
    """Every bundled / test app with designed goals."""
    out = []
    for p in sorted((REPO / "src/darkscan/apps").glob("*.yaml")) + sorted(
            (REPO / "tests/apps").glob("*.yaml")):
        if p.stem.startswith("_"):
            continue
        design = (yaml.safe_load(p.read_text(encoding="utf-8")) or {}).get("design") or {}
        if design.get("goals"):
            out.append(p)
    return out


def random_comparison(seeds: int, cap: int) -> None:
    ratios: list[float] = []
    decide: list[float] = []
    print(f"{'app':22} {'seed':>4} {'darkscan':>9} {'swipes':>6} {'random':>7} {'ratio':>6} "
          f"{'ds s':>6} {'rnd s':>6}")
    for app in apps():
        ds, swipes, ds_secs, ms = darkscan_steps(app, cap)
        decide.append(ms)
        for seed in range(seeds):
            rs, rs_secs = random_steps(app, seed, cap)
            rs_eff = rs if rs is not None else cap  # not found: counted at the cap
            ratio = rs_eff / ds if ds else float("nan")
            if ds:
                ratios.append(ratio)
            print(f"{app.stem:22} {seed:>4} {ds if ds is not None else '-':>9} {swipes:>6} "
                  f"{rs if rs is not None else f'>{cap}':>7} {ratio:>6.1f} "
                  f"{ds_secs:>6.2f} {rs_secs:>6.2f}")
    print(f"median random/darkscan step ratio: {statistics.median(ratios):.2f} "
          f"over {len(ratios)} app-seed pairs")
    print(f"darkscan decision time per step: {statistics.mean(decide):.3f} ms (mean over apps)")


if __name__ == "__main__":
    sys.exit(main())
