"""Post-crawl verification on the device: facts the screen graph alone cannot tell.

After exploring, :func:`run_probes` goes back to the device and checks

* the personalised-recommendation switch (if the crawl found one): walk the shortest known
  route to it, switch it off, leave (back out, then home and a fresh relaunch), come back and
  read it again - does it stay off?
* uninstalling: on the launcher, the app's label and whether its icon has visible pixels;
  through system Settings › Apps › the app, whether the Uninstall button is enabled and how
  many steps it takes. The button is never pressed.

The crawler's safety rules still apply to every tap (no payment, deletion or password). The
results go to ``RUN/probes.json`` (docs/run-folder.md) with screenshots in ``RUN/probes/``;
the graph detectors read them (``missing_recommendation_off``, ``hard_uninstall``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

import networkx as nx
import numpy as np

from darkscan.crawl.goals import BUILTIN_GOALS, Goal, WidgetKind
from darkscan.crawl.observe import Observer
from darkscan.runfolder.files import now_iso, png_bytes, read_json, write_atomic, write_json
from darkscan.crawl.safety import SafetyRules
from darkscan.crawl.state import Screen, ScreenKind, Widget
from darkscan.device.protocol import Device
from darkscan.errors import DeviceError, RunFolderError
from darkscan.lexicon.normalize import normalize, phrase_set

__all__ = ["SwitchProbe", "LauncherProbe", "SettingsProbe", "Probes", "run_probes"]

MAX_NAV_STEPS = 25
SETTINGS_PACKAGE = "com.android.settings"
SETTINGS_WORDS = phrase_set(["设置", "设定", "settings", "setting"])
APPS_WORDS = phrase_set(["应用", "应用管理", "应用和通知", "应用程序", "应用与通知", "apps",
                         "apps & notifications", "applications", "app management", "应用程式"])
SEE_ALL_WORDS = phrase_set(["查看全部", "全部应用", "see all", "all apps", "app info"])
# Affirmative buttons of a "turn it off?" confirmation that follows the switch.
TURN_OFF_CONFIRM = phrase_set(["确定", "确认", "关闭", "仍要关闭", "确认关闭", "继续关闭", "ok",
                               "turn off", "yes", "confirm", "disable"])


@dataclass(frozen=True)
class SwitchProbe:
    found: bool
    screen: str | None = None         # graph node id of the switch's screen
    control: str = ""
    path: tuple[dict[str, str], ...] = ()
    initial: bool | None = None       # checked when reached
    turned_off: bool | None = None    # off after our tap
    after_reenter: bool | None = None  # checked after backing out and walking back in
    after_relaunch: bool | None = None  # checked after home + a fresh app start
    stayed_off: bool | None = None
    error: str | None = None


@dataclass(frozen=True)
class LauncherProbe:
    found: bool
    label: str = ""
    label_blank: bool = False
    icon_bounds: tuple[int, ...] = ()
    icon_visible: bool | None = None
    icon_visible_fraction: float | None = None  # share of the cell's pixels unlike the wallpaper
    icon_contrast: float | None = None          # mean colour distance of those pixels (0-441)
    image: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class SettingsProbe:
    reached: bool
    steps: int | None = None                    # taps from the launcher to the button, included
    path: tuple[str, ...] = ()
    button: dict[str, Any] | None = None        # {"text", "enabled", "bounds"}
    image: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class Probes:
    recommendation: SwitchProbe
    uninstall_launcher: LauncherProbe
    uninstall_settings: SettingsProbe
    started: str = ""
    finished: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 1, "started": self.started, "finished": self.finished,
            "recommendation": _clean(asdict(self.recommendation)),
            "uninstall": {"launcher": _clean(asdict(self.uninstall_launcher)),
                          "settings": _clean(asdict(self.uninstall_settings))},
        }


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in d.items()}


# -- the app graph of the run --------------------------------------------------------------

@dataclass
class _RunGraph:
    g: nx.MultiDiGraph
    by_key: dict[str, str]
    root: str | None
    screens: dict[str, dict[str, Any]] = field(default_factory=dict)


def _load_graph(run_dir: Path) -> _RunGraph:
    p = run_dir / "graph.json"
    if not p.is_file():
        raise RunFolderError(f"{run_dir}: no graph.json to probe (crawl first)")
    d = read_json(p)
    g = nx.MultiDiGraph()
    by_key: dict[str, str] = {}
    for n in d.get("nodes", []):
        if n.get("kind", "app") != "app":
            continue
        g.add_node(n["id"], **{k: v for k, v in n.items() if k != "id"})
        if n.get("key"):
            by_key[n["key"]] = n["id"]
    for e in d.get("links", d.get("edges", [])):
        if e["source"] in g and e["target"] in g and e["source"] != e["target"]:
            g.add_edge(e["source"], e["target"], key=e.get("key"), action=e.get("action", ""),
                       kind=e.get("kind", "tap"), step=e.get("step", 0))
    screens: dict[str, dict[str, Any]] = {}
    for sid in g.nodes:
        sp = run_dir / "screens" / f"{sid}.json"
        if sp.is_file():
            screens[sid] = read_json(sp)
    root = (d.get("graph") or {}).get("root")
    return _RunGraph(g, by_key, root if root in g else None, screens)


def _json_widget(w: Mapping[str, Any]) -> Widget:
    from darkscan.geometry import Box

    return Widget(
        sig="", cls=str(w.get("class", "")), text=str(w.get("text", "")),
        desc=str(w.get("content_desc", "")), resource_id=str(w.get("resource_id", "")),
        label=str(w.get("label") or w.get("text") or ""), bounds=Box(*w.get("bounds", [0] * 4)),
        clickable=bool(w.get("clickable", True)), checkable=bool(w.get("checkable", False)),
        checked=bool(w.get("checked_first_seen", False)), enabled=True,
        password=bool(w.get("password", False)), editable=False, list_item=False,
    )


def _switch_goal(flow: Any) -> Goal:
    goals = getattr(flow, "goals", None)
    g = goals.get("recommendation_off") if goals is not None else None
    return g or BUILTIN_GOALS["recommendation_off"]


# -- navigation ----------------------------------------------------------------------------

class _Navigator:
    """Walks the app to a graph node along known edges, re-planning from wherever it lands."""

    def __init__(self, device: Device, rg: _RunGraph, package: str, safety: SafetyRules) -> None:
        self.device = device
        self.rg = rg
        self.package = package
        self.safety = safety
        self.observer = Observer(device, package)

    def observe(self) -> Screen:
        return self.observer.observe(lambda _k: False).screen

    def node_of(self, screen: Screen) -> str | None:
        return self.rg.by_key.get(screen.key) if screen.kind is ScreenKind.APP else None

    def relaunch(self) -> None:
        self.device.app_stop(self.package)
        self.device.app_start(self.package)

    def goto(self, target: str) -> tuple[Screen | None, list[dict[str, str]]]:
        """Reach ``target``; returns its observed screen (None if it failed) and the route."""
        route: list[dict[str, str]] = []
        for _ in range(MAX_NAV_STEPS):
            screen = self.observe()
            if screen.kind is not ScreenKind.APP:
                self.device.app_start(self.package)
                continue
            node = self.node_of(screen)
            if node == target:
                return screen, route
            if node is None or not nx.has_path(self.rg.g, node, target):
                self.device.back()
                route.append({"screen": node or "?", "action": "back"})
                continue
            nxt = nx.shortest_path(self.rg.g, node, target)[1]
            edge = min(self.rg.g.get_edge_data(node, nxt).values(), key=lambda e: e["step"] or 0)
            if edge["kind"] == "back" or edge.get("key") == "back":
                self.device.back()
                route.append({"screen": node, "action": "back"})
                continue
            w = next((w for w in screen.widgets if w.sig == edge.get("key")), None)
            if w is None:
                w = next((w for w in screen.widgets
                          if normalize(w.label) == normalize(edge["action"])), None)
            if w is None or self.safety.check(w, screen) is not None:
                return None, route
            found = self.observer.find(screen, w.sig, w.scroll) if w.scroll else w
            if found is None:
                return None, route
            x, y = found.bounds.center
            self.device.tap(x, y)
            route.append({"screen": node, "action": f"tap {w.label}"})
        return None, route


def _switch_on(screen: Screen, goal: Goal) -> Widget | None:
    return next((w for w in screen.widgets if w.checkable and goal.match(w)), None)


def _tap_widget(nav: _Navigator, screen: Screen, w: Widget) -> None:
    found = nav.observer.find(screen, w.sig, w.scroll) if w.scroll else w
    if found is None:
        raise DeviceError(f"the switch '{w.label}' could not be brought into view")
    nav.device.tap(*found.bounds.center)


def _read_switch(nav: _Navigator, target: str, goal: Goal) -> bool | None:
    screen, _ = nav.goto(target)
    if screen is None:
        return None
    w = _switch_on(screen, goal)
    return w.checked if w is not None else None


def probe_switch(device: Device, rg: _RunGraph, package: str, goal: Goal,
                 safety: SafetyRules) -> SwitchProbe:
    """Switch the recommendation switch off, leave, come back: does it stay off?"""
    candidates = []
    for sid, rec in rg.screens.items():
        for wj in rec.get("widgets", []):
            w = _json_widget(wj)
            if w.checkable and goal.match(w):
                candidates.append((sid, w.label))
    if not candidates:
        return SwitchProbe(found=False)
    root = rg.root
    if root is not None:
        reach = nx.single_source_shortest_path_length(rg.g, root)
        candidates.sort(key=lambda c: reach.get(c[0], 10**6))
    target, label = candidates[0]
    nav = _Navigator(device, rg, package, safety)
    nav.relaunch()
    screen, route = nav.goto(target)
    base = SwitchProbe(found=True, screen=target, control=label, path=tuple(route))
    if screen is None:
        return replace(base, error="could not walk back to the switch's screen")
    w = _switch_on(screen, goal)
    if w is None:
        return replace(base, error="the switch was not on its screen when walked back to")
    initial = w.checked
    if initial:
        _tap_widget(nav, screen, w)
        after = nav.observe()
        if after.dialog and nav.node_of(after) != target:  # a "turn off?" confirmation
            ok = next((x for x in after.widgets if normalize(x.label) in TURN_OFF_CONFIRM
                       and safety.check(x, after) is None), None)
            if ok is not None:
                device.tap(*ok.bounds.center)
    now = _read_switch(nav, target, goal)
    turned_off = now is False
    if not turned_off:
        return replace(base, initial=initial, turned_off=False,
                       error="the switch did not turn off when tapped")
    device.back()
    reenter = _read_switch(nav, target, goal)
    device.home()
    nav.relaunch()
    relaunch = _read_switch(nav, target, goal)
    stayed = None if reenter is None or relaunch is None else (not reenter and not relaunch)
    return replace(base, initial=initial, turned_off=True, after_reenter=reenter,
                   after_relaunch=relaunch, stayed_off=stayed)


# -- uninstall -----------------------------------------------------------------------------

def icon_visibility(image: np.ndarray, cell: tuple[int, int, int, int]
                    ) -> tuple[bool, float, float]:
    """(visible, fraction, contrast) of a launcher cell's icon against the wallpaper.

    The wallpaper behind a cell is estimated row by row from the cell's outer columns (icons
    are centred); pixels far from it form the icon and the label. The icon is the part above
    the label: the largest blob at least a quarter of the cell wide and tall.
    """
    import cv2

    x1, y1, x2, y2 = cell
    crop = image[max(0, y1):y2, max(0, x1):x2].astype(np.int32)
    if crop.size == 0:
        return False, 0.0, 0.0
    h, w = crop.shape[:2]
    edge = max(2, w // 12)
    bg = np.median(np.concatenate([crop[:, :edge], crop[:, -edge:]], axis=1), axis=1)
    dist = np.sqrt(((crop - bg[:, None, :]) ** 2).sum(axis=2))
    mask = (dist > 40).astype(np.uint8)
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    big = [i for i in range(1, n)
           if stats[i, cv2.CC_STAT_WIDTH] >= w / 4 and stats[i, cv2.CC_STAT_HEIGHT] >= h / 4]
    best = max(big, key=lambda i: stats[i, cv2.CC_STAT_AREA], default=0)
    if best == 0:
        frac = float(mask.mean())
        return False, round(frac, 4), round(float(dist[mask > 0].mean()) if mask.any() else 0.0, 1)
    sel = (labels == best) & (mask > 0)
    return True, round(float(sel.mean()), 4), round(float(dist[sel].mean()), 1)


def _launcher_cell(screen: Screen, label: str, package: str, device: Device
                   ) -> Widget | None:
    cells = [w for w in screen.widgets if w.clickable]
    if label.strip():
        for w in cells:
            if normalize(w.label) == normalize(label):
                return w
    # a blank (or unknown) label: open each unnamed icon and see which app comes up
    for w in cells:
        if w.label.strip() and label.strip():
            continue
        device.tap(*w.bounds.center)
        is_ours = device.app_current().package == package
        device.home()
        if is_ours:
            return w
    return None


def probe_launcher(device: Device, package: str, label: str, out: Path) -> LauncherProbe:
    device.home()
    obs = Observer(device, package)
    screen = obs.observe(lambda _k: True, full=False).screen
    cell = _launcher_cell(screen, label, package, device)
    if cell is None:
        return LauncherProbe(found=False)
    image = device.screenshot()
    img_path = out / "launcher.png"
    write_atomic(img_path, png_bytes(image))
    b = cell.bounds
    visible, frac, contrast = icon_visibility(image, (b.x1, b.y1, b.x2, b.y2))
    return LauncherProbe(found=True, label=cell.text, label_blank=not cell.text.strip(),
                         icon_bounds=tuple(b.as_list()),
                         icon_visible=visible, icon_visible_fraction=frac,
                         icon_contrast=contrast, image=f"probes/{img_path.name}")


def _uninstall_goal(flow: Any) -> Goal:
    goals = getattr(flow, "goals", None)
    g = goals.get("uninstall") if goals is not None else None
    g = g or BUILTIN_GOALS["uninstall"]
    # a disabled button is not clickable, and it is exactly the one we must see
    return replace(g, matchers=tuple(replace(m, widget=WidgetKind.ANY) for m in g.matchers))



def probe_settings(device: Device, package: str, label: str, flow: Any, out: Path
                   ) -> SettingsProbe:
    """Launcher › Settings › Apps › the app › App info: read the Uninstall button."""
    device.home()
    obs = Observer(device, package)
    path: list[str] = []
    launcher = obs.observe(lambda _k: True, full=False).screen
    icon = next((w for w in launcher.widgets if normalize(w.label) in SETTINGS_WORDS), None)
    if icon is not None:
        device.tap(*icon.bounds.center)
        path.append(icon.label)
    else:
        device.app_start(SETTINGS_PACKAGE)
        path.append(SETTINGS_PACKAGE)
    goal = _uninstall_goal(flow)
    app_words = {normalize(label)} - {""} | {normalize(package)}
    for _ in range(8):
        screen = obs.observe(lambda _k: False).screen
        if screen.kind not in (ScreenKind.SYSTEM, ScreenKind.SYSTEM_DIALOG):
            break
        # short labels only: a package name like com.x.uninstaller is not the button
        button = next((w for w in screen.widgets
                       if len(normalize(w.label)) <= 12 and goal.match(w)), None)
        if button is not None:
            img = out / "uninstall.png"
            write_atomic(img, png_bytes(device.screenshot()))
            path.append(button.label)
            device.home()
            return SettingsProbe(
                reached=True, steps=len(path), path=tuple(path),
                button={"text": button.label, "enabled": button.enabled,
                        "bounds": button.bounds.as_list()}, image=f"probes/{img.name}")
        nxt = (next((w for w in screen.widgets if w.clickable
                     and (normalize(w.label) in app_words or normalize(w.text) in app_words)),
                    None)
               or next((w for w in screen.widgets if w.clickable
                        and normalize(w.label) in APPS_WORDS), None)
               or next((w for w in screen.widgets if w.clickable
                        and any(p in normalize(w.label) for p in SEE_ALL_WORDS)), None))
        if nxt is None:
            break
        target = obs.find(screen, nxt.sig, nxt.scroll) if nxt.scroll else nxt
        if target is None:
            break
        device.tap(*target.bounds.center)
        path.append(nxt.label or nxt.text)
    device.home()
    return SettingsProbe(reached=False, path=tuple(path),
                         error="no Uninstall button found through Settings › Apps")


# -- entry point ---------------------------------------------------------------------------

def run_probes(device: Device, run_dir: Path | str, flow: Any) -> Probes:
    """Run every probe and write ``RUN/probes.json``; the device ends on the launcher."""
    run_dir = Path(run_dir)
    run = read_json(run_dir / "run.json")
    app = run.get("app") or {}
    package, label = str(app.get("package", "")), str(app.get("label", ""))
    if not package:
        raise RunFolderError(f"{run_dir / 'run.json'}: no app package to probe")
    out = run_dir / "probes"
    out.mkdir(exist_ok=True)
    started = now_iso()
    safety = getattr(flow, "safety", None) or SafetyRules()
    rg = _load_graph(run_dir)
    # a device that misbehaves during one probe leaves that probe's error, not a failed crawl
    try:
        rec = probe_switch(device, rg, package, _switch_goal(flow), safety)
    except DeviceError as e:
        rec = SwitchProbe(found=True, error=f"device error: {e}")
    try:
        launcher = probe_launcher(device, package, label, out)
    except DeviceError as e:
        launcher = LauncherProbe(found=False, error=f"device error: {e}")
    try:
        settings = probe_settings(device, package, label or launcher.label, flow, out)
    except DeviceError as e:
        settings = SettingsProbe(reached=False, error=f"device error: {e}")
    device.home()
    probes = Probes(rec, launcher, settings, started, now_iso())
    write_json(run_dir / "probes.json", probes.to_json())
    return probes
