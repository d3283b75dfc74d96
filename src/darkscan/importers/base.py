"""What every importer shares: the source-neutral crawl a format module produces, and the one
routine that turns it into a darkscan run folder.

A format module (``droidbot.py``; a folder of screenshot + XML pairs, Fastbot or Appium dumps
would be one more module each) only parses its tool's files into :class:`ImportedCrawl`:
states (uiautomator XML + screenshot) and events in time order. Everything darkscan-specific -
screen kinds, dialogs, widgets, goal predicates, step counting, graph.json, metrics.json - is
done here with the crawler's own code, so an imported crawl is measured exactly like a crawled
one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from darkscan.crawl.goals import GoalSet, Scope
from darkscan.crawl.graph import ScreenGraph
from darkscan.crawl.metrics import build_metrics
from darkscan.crawl.observe import classify_package
from darkscan.crawl.state import Screen, ScreenKind, Widget, extract_widgets, screen_key, top_windows
from darkscan.device.hierarchy import Hierarchy, parse_hierarchy
from darkscan.errors import HierarchyError, InputError
from darkscan.runfolder.model import AppRef, RunInfo, SourceRef
from darkscan.runfolder.writer import RunWriter

#: packages whose windows are the system asking something on the app's behalf (runtime
#: permissions, install prompts): kept as system dialogs, never as screens of the app
PROMPT_PACKAGE_SUFFIXES = (".permissioncontroller", ".packageinstaller")

#: px per dp assumed when the source does not record the density: phones are ~360-411 dp wide
ASSUMED_DP_WIDTH = 360


@dataclass(frozen=True)
class SourceState:
    """One screen state as the source tool recorded it."""

    id: str                     # the tool's own state id (unique in the crawl)
    package: str                # foreground package
    activity: str               # foreground activity ("" if unknown)
    xml: str | None             # uiautomator-style XML of the view tree (None: not recorded)
    image: Path | None          # the screenshot file (None: missing)
    order: str = ""             # sort key in time (the tool's timestamp)


@dataclass(frozen=True)
class SourceEvent:
    """One input event the tool sent, with the states before and after (None: unknown)."""

    order: str
    kind: str                   # tap | back | home | launch | stop | swipe | type | key
    before: str | None
    after: str | None
    target: dict[str, Any] | None = None   # tap/type: {"text","resource_id","class","bounds"}
    detail: dict[str, Any] = field(default_factory=dict)  # long, direction, text, key name...
    name: str = ""              # where it came from, for warnings


@dataclass
class ImportedCrawl:
    tool: str
    source: Path
    package: str
    label: str = ""
    width: int = 0
    height: int = 0
    density: float | None = None
    model: str = ""
    android: str = ""
    version: str = ""
    states: list[SourceState] = field(default_factory=list)
    events: list[SourceEvent] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    finished: bool = False      # the tool explored until nothing was left (else: budget)


@dataclass(frozen=True)
class ImportResult:
    out: Path
    screens: int
    app_screens: int
    steps: int
    warnings: tuple[str, ...]
    goals_found: tuple[str, ...]


def _kind(pkg: str, target: str) -> ScreenKind:
    if pkg != target and pkg.lower().endswith(PROMPT_PACKAGE_SUFFIXES):
        return ScreenKind.SYSTEM_DIALOG
    return classify_package(pkg, target)


@dataclass
class _Screen:
    nid: str
    state: SourceState
    screen: Screen
    first_seen: int


def _observe(st: SourceState, target: str, width: int, height: int,
             warn: Callable[[str], None]) -> Screen:
    """The crawler's view of one state: kind, key, dialog, widgets (observe.Observer._build)."""
    kind = _kind(st.package, target)
    h = Hierarchy([])
    if st.xml is not None:
        try:
            h = parse_hierarchy(st.xml)
        except HierarchyError as e:
            warn(f"state {st.id}: view tree unreadable ({e.message}); imported without it")
    win = h.for_package(st.package) if h.roots else h
    keyed, dialog, _ = top_windows(win, width, height)
    key = f"{st.package}:{st.id}" if kind is not ScreenKind.APP else \
        screen_key(st.package, st.activity, dialog, keyed, width)
    widgets = tuple(extract_widgets(keyed, 0, width, height))
    return Screen(kind=kind, package=st.package, activity=st.activity, key=key, dialog=dialog,
                  secure=False, widgets=widgets, xml=st.xml or "", texts=tuple(keyed.texts()))


def _target_widget(screen: Screen, target: dict[str, Any] | None) -> Widget | None:
    """The widget of ``screen`` an event acted on (same bounds; else same text and class)."""
    if not target:
        return None
    b = target.get("bounds")
    for w in screen.widgets:
        if b is not None and list(w.bounds.as_list()) == list(b):
            return w
    for w in screen.widgets:
        if target.get("text") and w.label == target.get("text") and w.cls == target.get("class"):
            return w
    return None


def write_run(crawl: ImportedCrawl, out: Path, goals: GoalSet | None = None) -> ImportResult:
    """Write ``crawl`` as a run folder at ``out`` (new or empty)."""
    goals = goals or GoalSet()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError(f"{out} exists and is not empty; import into a new or empty --out")
    warnings = crawl.warnings
    warn = warnings.append
    width, height = crawl.width, crawl.height
    if not crawl.states:
        raise InputError(f"{crawl.source}: no states to import")
    density = crawl.density or round(width / ASSUMED_DP_WIDTH, 2) if width else None
    states = sorted(crawl.states, key=lambda s: (s.order, s.id))
    events = sorted(crawl.events, key=lambda e: e.order)
    by_id = {s.id: s for s in states}

    # first time each state is reached, in steps: the same clock a crawl's first_seen uses
    first: dict[str, int] = {}
    if events and events[0].before in by_id:
        first[events[0].before] = 0
    for i, e in enumerate(events):
        if e.before is not None and e.before not in first and e.before in by_id:
            first[e.before] = i
        if e.after is not None and e.after not in first and e.after in by_id:
            first[e.after] = i + 1
    unknown = [e for e in events if (e.before is not None and e.before not in by_id)
               or (e.after is not None and e.after not in by_id)]
    if unknown:
        warn(f"{len(unknown)} of {len(events)} events point at states the crawl did not save "
             f"(e.g. {unknown[0].name}); their steps keep the known end only")
    unseen = [s for s in states if s.id not in first]
    order = sorted(states, key=lambda s: (first.get(s.id, len(events) + 1), s.order, s.id))

    graph = ScreenGraph()
    app_names = {crawl.package} | ({crawl.label} if crawl.label else set())
    screens: dict[str, _Screen] = {}
    first_checked: dict[tuple[str, str], bool] = {}  # (screen key, widget sig) -> first state
    for st in order:
        s = _observe(st, crawl.package, width, height, warn)
        seen = first.get(st.id, len(events))
        nid, _ = graph.add_screen(f"{s.key}\n{st.id}", s.kind, activity=s.activity,
                                  package=s.package, dialog=s.dialog, secure=False, step=seen)
        screens[st.id] = _Screen(nid, st, s, seen)
        for w in s.widgets:
            if w.checkable:
                first_checked.setdefault((s.key, w.sig), w.checked)
        if s.kind is ScreenKind.APP:
            graph.match_goals(nid, s, goals, Scope.APP, app_names)
        elif s.kind is ScreenKind.SYSTEM:
            graph.match_goals(nid, s, goals, Scope.SYSTEM, app_names)
        if s.kind is ScreenKind.LAUNCHER and graph.launcher is None:
            graph.launcher = nid
    if unseen:
        warn(f"{len(unseen)} saved states are reached by no event; imported as unreachable "
             "screens")

    with RunWriter(out, resume=False) as writer:
        writer.write_run(RunInfo(
            app=AppRef(crawl.package, crawl.label),
            device={"serial": "", "model": crawl.model, "android": crawl.android,
                    "width": width, "height": height, "density": density},
            flow=None, status="done" if crawl.finished else "budget",
            started=None, finished=None,
            source=SourceRef(crawl.tool, str(crawl.source), crawl.version, len(warnings))))
        for sc in screens.values():
            s = sc.screen
            if sc.state.image is None:
                warn(f"state {sc.state.id} ({sc.nid}): no screenshot; imported without one")
            widgets = []
            for w in s.widgets:
                d = w.to_json()
                if w.checkable:  # what a first-time user met on this screen, not this state
                    d["checked_first_seen"] = first_checked.get((s.key, w.sig), w.checked)
                    d["checked"] = w.checked
                widgets.append(d)
            meta = {"id": sc.nid, "key": s.key, "kind": s.kind.value, "activity": s.activity,
                    "package": s.package, "dialog": s.dialog, "secure": False,
                    "first_seen": sc.first_seen, "density": density, "widgets": widgets,
                    "source_state": sc.state.id}
            writer.write_screen(sc.nid, meta, s.xml, None, image_file=sc.state.image)

        root: str | None = None
        faults: list[str] = []
        for i, e in enumerate(events, 1):
            src = screens.get(e.before) if e.before is not None else None
            dst = screens.get(e.after) if e.after is not None else None
            action: dict[str, Any] = {"kind": e.kind, **e.detail}
            w = _target_widget(src.screen, e.target) if src is not None else None
            if e.target is not None:
                action["target"] = w.target_json() if w is not None else dict(e.target)
                b = action["target"].get("bounds")
                if isinstance(b, list) and len(b) == 4:
                    action["x"], action["y"] = (b[0] + b[2]) // 2, (b[1] + b[3]) // 2
            if w is not None:
                action["sig"] = w.sig
            event = None
            if src is not None and dst is not None and src.screen.kind is ScreenKind.APP:
                if dst.screen.kind is ScreenKind.EXTERNAL:
                    event = "external_app"
                elif dst.screen.kind is ScreenKind.LAUNCHER and e.kind == "tap":
                    event = "crash"
            if event:
                faults.append(event)
            writer.append_step({"step": i, "from": src.nid if src else None, "action": action,
                                "to": dst.nid if dst else None, "event": event})
            if dst is not None and e.kind == "launch" and root is None \
                    and dst.screen.kind is ScreenKind.APP:
                root = dst.nid
            if src is None or dst is None or src.screen.kind is not ScreenKind.APP:
                continue
            if e.kind == "tap":
                sig = w.sig if w is not None else f"tap|{(e.target or {}).get('bounds')}"
                label = w.label if w is not None else str((e.target or {}).get("text") or "")
                graph.add_edge(src.nid, dst.nid, sig, label, "tap", i)
            elif e.kind == "back":
                graph.add_edge(src.nid, dst.nid, "back", "back", "back", i)
        if root is None:
            root = next((sc.nid for sc in sorted(screens.values(), key=lambda x: x.first_seen)
                         if sc.screen.kind is ScreenKind.APP), None)
        graph.root = root
        status = "done" if crawl.finished else "budget"
        writer.write_graph(graph.to_json())
        metrics = build_metrics(graph, goals, steps=len(events), status=status, faults=faults)
        writer.write_metrics(metrics)
        writer.update_run(source=SourceRef(crawl.tool, str(crawl.source), crawl.version,
                                           len(warnings)).to_json())
    return ImportResult(out=out, screens=len(screens),
                        app_screens=sum(1 for s in screens.values()
                                        if s.screen.kind is ScreenKind.APP),
                        steps=len(events), warnings=tuple(warnings),
                        goals_found=tuple(sorted(graph.found_goals())))
