"""The bundled demo apps and the test apps, checked against their own `design:` blocks.

Each app file documents what it plants and the designed step counts (docs/app-format.md). These
tests hold the files to that oracle on the real VirtualDevice: every app loads, every designed
screen is reachable and renders, and every `design.goal_paths` entry can be walked by tapping the
widget whose text (or content-desc) is the given label in the device's hierarchy XML, with exactly
`design.goals[...]` taps and without completing a payment, deletion, password entry, uninstall or
crash.

The `design:` keys these tests read (code under src/ never reads them):
  description, patterns [{category, screen, note}], allowed [{screen, note}] (checked-on-first-
  sight boxes that are not dark patterns), goals {goal: steps | null} counted from the launch
  screen (uninstall: from the launcher), goal_paths {goal: [labels tapped]}, other_paths,
  safety_paths {name: {path, control}}, cancel_by_phone {path, text}, sticky_switch {screen,
  text}, uninstall_disabled, graph_findings [categories above info], unsafe_screens (only behind
  pay / delete_account), never_shown (crash: true screens), screens (screens + dialogs a safe
  crawler reaches), main_screen / entry_steps (steps from launch to the main screen).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from darkscan.device.hierarchy import Hierarchy, Node, parse_hierarchy
from darkscan.device.virtual import LAUNCHER, SETTINGS, App, VirtualDevice, load_app
from darkscan.device.virtual.model import ActionKind, Screen, Widget

REPO = Path(__file__).resolve().parents[2]
BUNDLED = sorted((REPO / "src" / "darkscan" / "apps").glob("*.yaml"))
TEST_APPS = sorted(p for p in (REPO / "tests" / "apps").glob("*.yaml")
                   if not p.name.startswith("_mini"))
ALL_APPS = BUNDLED + TEST_APPS
GOALS = ("subscribe", "cancel_subscription", "delete_account", "recommendation_off",
         "privacy_policy", "customer_service", "uninstall")
GRAPH_CATEGORIES = {"buried_cancellation", "missing_recommendation_off", "hard_account_deletion",
                    "hard_uninstall", "privacy_policy_depth", "missing_customer_service"}
SCREEN_CATEGORIES = {"hidden_auto_renewal", "preselection", "ad_close_obstruction",
                     "false_hierarchy", "confirmshaming", "nagging", "disguised_ad"}
_SYSTEM_UI = "com.android.systemui"

_loaded: dict[Path, App] = {}


def _app(path: Path) -> App:
    if path not in _loaded:
        _loaded[path] = load_app(path)
    return _loaded[path]


def _ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def _fixed_launch(path: Path) -> bool:
    """Every launch shows the same screens: no launch sequence, no screen that crashes only on
    its first entries. The walks below replay taps on fresh devices and assume exactly that; apps
    whose launch changes are held to their designs by tests/device/test_virtual_launch.py and
    tests/crawl/test_launch_faults.py."""
    app = _app(path)
    return not app.launch and not any(s.crash_first for s in app.screens.values())


FIXED_APPS = [p for p in ALL_APPS if _fixed_launch(p)]


def _goal_cases() -> Iterator[Any]:
    for path in FIXED_APPS:
        design = _app(path).design or {}
        for goal, labels in (design.get("goal_paths") or {}).items():
            yield pytest.param(path, goal, labels, id=f"{path.stem}-{goal}")


# ----- static structure --------------------------------------------------------------------------
def _widgets(ws: tuple[Widget, ...]) -> Iterator[Widget]:
    for w in ws:
        yield w
        yield from _widgets(w.items)


def _edges(screen: Screen) -> Iterator[tuple[str, bool]]:
    """(target screen, safe?) for every way out of ``screen`` the file declares."""
    for w in _widgets(screen.widgets):
        if w.tap is None or w.tap.target is None:
            continue
        if w.tap.kind is ActionKind.GO:
            yield w.tap.target, True
        elif w.tap.kind in (ActionKind.PAY, ActionKind.DELETE_ACCOUNT):
            yield w.tap.target, False
    if screen.tabs is not None:
        for item in screen.tabs.items:
            if item.tap is not None and item.tap.kind is ActionKind.GO and item.tap.target:
                yield item.tap.target, True
    if screen.popup is not None:
        yield screen.popup.screen, True


def _reachable(app: App, safe_only: bool) -> set[str]:
    seen = {app.start}
    todo = [app.start]
    while todo:
        sid = todo.pop()
        screen = app.screen(sid)
        if screen.crash:  # the app dies on entry: nothing beyond it is shown
            continue
        for target, safe in _edges(screen):
            if (safe or not safe_only) and target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


@pytest.mark.parametrize("path", ALL_APPS, ids=_ids(ALL_APPS))
def test_app_loads_with_a_complete_design_block(path: Path) -> None:
    app = _app(path)
    d = app.design
    assert isinstance(d, dict), "every app file documents itself in design:"
    for key in ("description", "patterns", "goals", "goal_paths", "graph_findings", "screens"):
        assert key in d, f"design.{key} missing"
    assert set(d["goals"]) == set(GOALS)
    for p in d["patterns"]:
        assert p["category"] in SCREEN_CATEGORIES
        assert p["screen"] in app.screens and p["note"]
    assert set(d["graph_findings"]) <= GRAPH_CATEGORIES
    for goal, labels in d["goal_paths"].items():
        assert goal in GOALS
        assert d["goals"][goal] == len(labels), f"{goal}: goals and goal_paths disagree"
    for goal, steps in d["goals"].items():
        if steps is not None:
            assert goal in d["goal_paths"], f"{goal} has a step count but no path"


@pytest.mark.parametrize("path", FIXED_APPS, ids=_ids(FIXED_APPS))
def test_every_screen_is_reachable_and_counted(path: Path) -> None:
    """design.screens = screens a safe crawler can reach; the rest are declared unsafe/unshown."""
    app = _app(path)
    d = app.design
    never_shown = {s for s in app.screens if app.screen(s).crash}
    assert never_shown == set(d.get("never_shown", [])), "crash: true screens are never_shown"
    safe = _reachable(app, safe_only=True) - never_shown
    everything = _reachable(app, safe_only=False)
    assert everything == set(app.screens), f"orphan screens: {set(app.screens) - everything}"
    assert set(app.screens) - safe - never_shown == set(d.get("unsafe_screens", []))
    assert len(safe) == d["screens"]


@pytest.mark.parametrize("path", ALL_APPS, ids=_ids(ALL_APPS))
def test_every_screen_renders_and_its_xml_parses(path: Path) -> None:
    app = _app(path)
    dev = VirtualDevice([app])
    w, h = app.screen_size.width, app.screen_size.height
    for sid, screen in app.screens.items():
        dev.open_screen(app.package, sid)
        img = dev.screenshot()
        assert img.shape == (h, w, 3) and img.dtype == np.uint8, sid
        if screen.secure:
            assert not img.any(), f"{sid}: a FLAG_SECURE screenshot is black"
        else:
            assert img.std() > 8, f"{sid}: rendered blank"
        hier = parse_hierarchy(dev.dump_hierarchy()).for_package(app.package)
        assert not hier.empty, f"{sid}: no window of the app in the hierarchy"
        shown = " ".join(hier.texts())
        words = [x.text for x in _widgets(screen.widgets)
                 if x.text and x.type.value not in ("webview", "image")]
        if words:
            assert words[0] in shown, f"{sid}: first text '{words[0]}' not in the hierarchy"


# ----- walking the designed paths ------------------------------------------------------------------
def _foreground_windows(dev: VirtualDevice) -> list[Node]:
    hier = parse_hierarchy(dev.dump_hierarchy())
    pkg = dev.app_current().package
    return [r for r in hier.roots if r.package == pkg]


def _find(dev: VirtualDevice, label: str) -> tuple[Node, Node]:
    """(the node showing ``label``, the node to tap) in the topmost window of the foreground app."""
    windows = _foreground_windows(dev)
    assert windows, "no foreground window"
    top = windows[-1]
    hier = Hierarchy([top])
    for node in top.iter():
        if node.visible and label in (node.text, node.content_desc):
            target = node if node.clickable else next(
                (a for a in hier.ancestors(node) if a.clickable), None)
            if target is not None:
                return node, target
    shown = [n.label for n in top.iter() if n.label]
    raise AssertionError(f"no tappable '{label}' on screen; visible: {shown}")


def _tap(dev: VirtualDevice, node: Node) -> None:
    b = node.bounds
    dev.tap((b.x1 + b.x2) // 2, (b.y1 + b.y2) // 2)


def _checked(node: Node) -> bool | None:
    """The state of the check box / switch a tappable node is or contains (None: not one)."""
    return next((n.checked for n in node.iter() if n.checkable), None)


def _where(dev: VirtualDevice) -> tuple[str, str]:
    if dev.app_current().package == LAUNCHER:
        return (LAUNCHER, "home")
    return dev.current_screen()


@pytest.mark.parametrize(("path", "goal", "labels"), list(_goal_cases()))
def test_goal_path_is_walkable_with_the_designed_number_of_taps(
        path: Path, goal: str, labels: list[str]) -> None:
    app = _app(path)
    d = app.design
    dev = VirtualDevice([app])
    if goal == "uninstall":
        dev.home()
        assert dev.app_current().package == LAUNCHER
    else:
        dev.app_start(app.package)
    for label in labels[:-1]:
        before = _where(dev)
        _tap(dev, _find(dev, label)[1])
        assert _where(dev) != before, f"tapping '{label}' did not change the screen"
    _, target = _find(dev, labels[-1])  # the goal widget is on screen; tapping it is the last step
    assert len(labels[:-1]) + 1 == d["goals"][goal]

    # The goal widget is what the goal says it is.
    if goal == "uninstall":
        assert dev.app_current().package == SETTINGS
        disabled = bool(d.get("uninstall_disabled", False))
        assert target.enabled is not disabled
        before = _where(dev)
        _tap(dev, target)  # opens the confirmation dialog, or does nothing when disabled
        assert (_where(dev) == before) is disabled
    elif goal == "recommendation_off":
        assert _checked(target) is True, "a recommendation switch, on at first sight"
        sid = dev.current_screen()[1]
        _tap(dev, target)
        assert _checked(_find(dev, labels[-1])[1]) is False, "the switch turns off when tapped"
        dev.back()  # leave the screen, then enter it again the same way
        _tap(dev, _find(dev, labels[-2])[1])
        assert dev.current_screen()[1] == sid
        sticky = (d.get("sticky_switch") or {}).get("screen") == sid
        assert _checked(_find(dev, labels[-1])[1]) is sticky, (
            "a sticky switch is on again after re-entering; a normal one stays off")
    else:
        _tap(dev, target)
    c = dev.counters
    assert (c.payments, c.deletions, c.password_entries, c.uninstalls, c.crashes) == (0,) * 5


def _aux_cases() -> Iterator[Any]:
    """Other designed walks: other_paths, safety_paths (control on screen), cancel_by_phone."""
    for path in ALL_APPS:
        d = _app(path).design or {}
        for name, labels in (d.get("other_paths") or {}).items():
            yield pytest.param(path, labels, None, id=f"{path.stem}-{name}")
        for name, spec in (d.get("safety_paths") or {}).items():
            yield pytest.param(path, spec["path"], spec["control"], id=f"{path.stem}-{name}")
        if d.get("cancel_by_phone"):
            spec = d["cancel_by_phone"]
            yield pytest.param(path, spec["path"], spec["text"], id=f"{path.stem}-cancel_by_phone")


@pytest.mark.parametrize(("path", "labels", "shown"), list(_aux_cases()))
def test_other_designed_walks(path: Path, labels: list[str], shown: str | None) -> None:
    app = _app(path)
    dev = VirtualDevice([app])
    dev.app_start(app.package)
    for label in labels:
        before = _where(dev)
        _tap(dev, _find(dev, label)[1])
        assert _where(dev) != before, f"tapping '{label}' did not change the screen"
    if shown is not None:
        texts = [n.text or n.hint for n in _foreground_windows(dev)[-1].iter()]
        assert any(shown in (t or "") for t in texts), f"'{shown}' not on the screen"
    c = dev.counters
    assert (c.payments, c.deletions, c.password_entries, c.uninstalls, c.crashes) == (0,) * 5


# ----- the designed paths are the shortest ----------------------------------------------------------
_Key = tuple[str, str]


def _start(app: App, from_launcher: bool, taps: tuple[tuple[int, int], ...]) -> VirtualDevice:
    dev = VirtualDevice([app])
    if from_launcher:
        dev.home()
    else:
        dev.app_start(app.package)
    for x, y in taps:
        dev.tap(x, y)
    return dev


def _tappables(dev: VirtualDevice) -> list[Node]:
    """Clickable nodes (enabled or not) of the topmost window of the foreground app."""
    windows = _foreground_windows(dev)
    return [n for n in windows[-1].iter() if n.clickable and not n.bounds.empty] if windows else []


def _shortest_taps(app: App, from_launcher: bool) -> dict[str, int]:
    """Breadth-first over the live device: label -> fewest taps until a tappable shows it.

    Every state is reached again by replaying its tap sequence on a fresh device, so popup
    counters and back stacks are exactly those of that sequence. Taps that pay, delete, crash,
    uninstall or leave for a foreign app are not followed.
    """
    allowed = {app.package, SETTINGS, LAUNCHER}
    first: dict[_Key, tuple[tuple[int, int], ...]] = {}
    dev = _start(app, from_launcher, ())
    first[_where(dev)] = ()
    queue = [()]
    labels: dict[str, int] = {}
    while queue:
        seq = queue.pop(0)
        dev = _start(app, from_launcher, seq)
        for node in _tappables(dev):
            for inner in node.iter():
                for text in (inner.text.strip(), inner.content_desc.strip()):
                    if text:
                        labels.setdefault(text, len(seq) + 1)
            if not node.enabled:
                continue
            b = node.bounds
            xy = ((b.x1 + b.x2) // 2, (b.y1 + b.y2) // 2)
            probe = _start(app, from_launcher, seq)
            probe.tap(*xy)
            c = probe.counters
            if c.payments or c.deletions or c.crashes or c.uninstalls:
                continue
            if probe.app_current().package not in allowed:
                continue
            key = _where(probe)
            if key not in first:
                first[key] = seq + (xy,)
                queue.append(seq + (xy,))
    return labels


@pytest.mark.parametrize("path", FIXED_APPS, ids=_ids(FIXED_APPS))
def test_designed_goal_paths_are_the_shortest(path: Path) -> None:
    """No route reaches a goal widget's label in fewer taps than the design says."""
    app = _app(path)
    d = app.design
    in_app = _shortest_taps(app, from_launcher=False)
    from_launcher = _shortest_taps(app, from_launcher=True) if "uninstall" in d["goal_paths"] \
        else {}
    for goal, labels in d["goal_paths"].items():
        found = (from_launcher if goal == "uninstall" else in_app).get(labels[-1])
        assert found == d["goals"][goal], (
            f"{goal}: '{labels[-1]}' is first tappable after {found} taps, design says "
            f"{d['goals'][goal]}")


# ----- the design's per-screen claims that the XML can show ------------------------------------
def _first_sight_checked(dev: VirtualDevice, app: App) -> dict[str, list[str]]:
    """Screen id -> labels of check boxes / switches checked on first sight."""
    out: dict[str, list[str]] = {}
    for sid in app.screens:
        dev.open_screen(app.package, sid)
        hier = parse_hierarchy(dev.dump_hierarchy()).for_package(app.package)
        if dev.current_screen()[1] != sid:
            continue
        top = Hierarchy([hier.roots[-1]])
        on = [top.label_of(n) for n in top.checkables() if n.checked
              and n.short_class in ("CheckBox", "Switch", "SwitchCompat", "SwitchMaterial")]
        if on:
            out[sid] = on
    return out


@pytest.mark.parametrize("path", ALL_APPS, ids=_ids(ALL_APPS))
def test_pre_checked_boxes_are_exactly_the_planted_or_allowed_ones(path: Path) -> None:
    app = _app(path)
    d = app.design
    checked = _first_sight_checked(VirtualDevice([app]), app)
    planted = {p["screen"] for p in d["patterns"] if p["category"] == "preselection"}
    allowed = {a["screen"] for a in d.get("allowed", [])}
    for sid in planted:
        screen = app.screen(sid)
        radios = any(w.type.value == "radio" for w in _widgets(screen.widgets))
        assert sid in checked or radios, f"{sid}: planted preselection but nothing is pre-checked"
    assert set(checked) <= planted | allowed, (
        f"pre-checked boxes the design does not declare: "
        f"{ {s: v for s, v in checked.items() if s not in planted | allowed} }")


def test_clean_twin_mirrors_the_demo_app_screen_for_screen() -> None:
    dirty = _app(REPO / "src/darkscan/apps/kanju_zh.yaml")
    clean = _app(REPO / "src/darkscan/apps/kanju_zh_clean.yaml")
    renamed = {"retention": "cancel_confirm"}
    assert {renamed.get(s, s) for s in dirty.screens} == set(clean.screens)
    assert clean.design["patterns"] == [] and clean.design["graph_findings"] == []
    assert {p["category"] for p in dirty.design["patterns"]} == {
        f["category"] for f in clean.design["fixed"]}
    assert dirty.design["goals"]["recommendation_off"] is None
    assert clean.design["goals"]["cancel_subscription"] < dirty.design["goals"]["cancel_subscription"]


def test_xss_strings_reach_the_hierarchy_verbatim() -> None:
    app = _app(REPO / "tests/apps/xss.yaml")
    dev = VirtualDevice([app])
    dev.app_start(app.package)
    texts = parse_hierarchy(dev.dump_hierarchy()).texts()
    for s in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
              "Tom & Jerry's \"Best\" <Episodes>", "&amp; &lt;b&gt; literal entities"):
        assert any(s in t for t in texts), s
    shown = {t for t in app.design["hostile_strings"]
             if any(t in x for x in _all_texts(app))}
    assert shown == set(app.design["hostile_strings"])


def _all_texts(app: App) -> Iterator[str]:
    yield app.label
    for screen in app.screens.values():
        if screen.title:
            yield screen.title
        for w in _widgets(screen.widgets):
            yield from (w.text, w.subtitle, w.desc, w.hint, *w.lines)
        if screen.tabs:
            yield from (t.text for t in screen.tabs.items)
