"""The crawl loop: uninstall path, launch, setup, explore; record everything as it goes.

Every device action is one logged step. ``--resume`` replays the log: the loop runs again from
the start on a freshly started app, and while logged steps remain it checks that it makes the
same decision as the log (it is deterministic) instead of writing a new line. The device ends
up in the state it was in when the crawl was interrupted, the graph is rebuilt from real
observations, and the crawl continues as if never interrupted.

A phone keeps state a fresh start does not reset (a consent already given, a popup already
seen). When a replayed action shows another screen than the log, the rest of the log is
replayed *from the run folder* (the logged outcome and the stored screen stand for the device,
which is left alone); once the log is used up the app is relaunched and exploration continues
from wherever it lands, reaching the next target by the known paths. Nothing logged is lost.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, replace
from typing import Any

from darkscan.crawl.explorer import Decision, Explorer, Move, mark_failed, priority
from darkscan.crawl.flow import Flow, Selector, StepKind
from darkscan.crawl.goals import Scope
from darkscan.crawl.graph import ActionStatus, ScreenGraph
from darkscan.crawl.metrics import build_metrics, main_screen_of
from darkscan.crawl.observe import Observation, Observer
from darkscan.crawl.replay import returns_edge, verify_all
from darkscan.crawl.runfolder import RunWriter, Timer
from darkscan.crawl.safety import Arrival, Risk, Stop
from darkscan.crawl.safety.guard import final_wording
from darkscan.crawl.safety.risk import code_field
from darkscan.crawl.segments import stitch
from darkscan.crawl.signals import Progress, ProgressHook, no_progress
from darkscan.crawl.state import Screen, ScreenKind, Widget
from darkscan.crawl.syspath import SystemPath
from darkscan.device.protocol import Device
from darkscan.errors import DeviceError, FlowError
from darkscan.lexicon.normalize import normalize
from darkscan.lexicon.system import ANR_CLOSE, ANR_WAIT
from darkscan.runfolder.files import read_json

MAX_LAUNCH_FAILURES = 3
MAX_FIRST_WALK = 1000  # first-launch actions remembered (goal paths are far shorter)
RELAUNCH_BUDGET = 3   # relaunches in a row that reach nothing new before giving up on the rest
FAULT_RETRIES = 2     # more tries of a tap whose result was a crash / other app / ANR / blank
FAULT_EVENTS = ("crash", "anr", "external_app", "blank_screen")
SAME_SCREEN_RETAPS = 2  # more taps of a button that left its screen looking the same


class _Stop(Exception):
    """Internal: the budget ran out (never reaches the user)."""


@dataclass(frozen=True)
class CrawlResult:
    status: str               # done | budget | goal
    steps: int
    metrics: dict[str, Any]
    graph: dict[str, Any]
    decision_ms: float        # mean time the policy took per decision
    replayed: int             # steps replayed from an earlier run (--resume)
    diverged_at: int | None   # first logged step the replay could not reproduce


class Crawler:
    def __init__(self, device: Device, flow: Flow, package: str, writer: RunWriter | None = None,
                 *, progress: ProgressHook = no_progress, stop_on_goal: str | None = None,
                 app_label: str | None = None, verify: bool = True,
                 retries: int = FAULT_RETRIES, relaunch_budget: int = RELAUNCH_BUDGET) -> None:
        self.device = device
        self.flow = flow
        self.package = package
        self.writer = writer
        self.progress = progress
        self.stop_on_goal = stop_on_goal
        self.graph = ScreenGraph()
        self.explorer = Explorer(self.graph)
        self.obs = Observer(device, package)
        self.screens: dict[str, Screen] = {}
        self.cur: str | None = None
        self.cur_screen: Screen | None = None
        self.steps = 0
        self.faults: list[str] = []
        self.blocked: set[tuple[str, str]] = set()
        self.risks: dict[str, Risk] = {}          # safety risk of each app screen (first sight)
        self._arrival: Arrival | None = None     # the purchase / deletion tap being taken
        self.replay: deque[dict[str, Any]] = deque(writer.previous_steps if writer else [])
        self.replayed = 0
        self.diverged_at: int | None = None
        self.decide_times: list[float] = []
        self.phase = "launch"
        self.timer = Timer(float(writer.run.get("elapsed", 0.0)) if writer and writer.run else 0.0)
        self.app_names = {package} | ({app_label} if app_label else set())
        self.status = "done"
        self.verify = verify
        self.retries = retries
        self.relaunch_budget = relaunch_budget
        self.landings: list[str] = []       # the screen each launch landed on, in order
        # the actions taken after the first launch (a fresh install's) up to the first action
        # that was not an edge (a relaunch, home...): (screen, action sig, screen it led to)
        self.first_walk: list[tuple[str, str, str]] = []
        self._first_walk_open = False
        self.launch_gave_up: dict[str, Any] | None = None
        self._relaunch_first = False        # recover from the next fault by a relaunch
        self.offline = False                # replaying the log from the run folder (resume)
        self._resync = False                # relaunch once the offline replay is used up
        self.offline_from: int | None = None

    # ----------------------------------------------------------------- budget / progress
    def _check_budget(self) -> None:
        if self.steps >= self.flow.budget.max_steps:
            raise _Stop()
        if not self.replay and self.timer.elapsed() > self.flow.budget.max_minutes * 60:
            raise _Stop()

    def _report(self, event: str | None) -> None:
        found = tuple(sorted(self.graph.found_goals()))
        self.progress(Progress(self.steps, self.flow.budget.max_steps, len(self.graph.app_nodes()),
                               found, len(self.flow.goals.goals), event, bool(self.replay),
                               self.phase))

    # ----------------------------------------------------------------- screens
    def _register(self, ob: Observation) -> tuple[str, bool]:
        s = ob.screen
        nid, new = self.graph.add_screen(s.key, s.kind, activity=s.activity, package=s.package,
                                         dialog=s.dialog, secure=s.secure, step=self.steps,
                                         under=s.under_key if s.dialog else "")
        if not new:
            return nid, False
        if self.writer is not None and not self.writer.has_screen(nid):
            meta = self._screen_meta(nid, s)
            if s.segments and s.scroller is not None:
                whole = stitch(s.image, list(s.segments), s.scroller) \
                    if s.image is not None else None
                self.writer.write_segments(nid, [(g.scroll, g.image, g.xml) for g in s.segments],
                                           whole)
                meta["segments"] = [{"scroll": g.scroll, "offset": g.offset}
                                    for g in s.segments]
                meta["scroller"] = s.scroller.as_list()
                if whole is not None:
                    meta["full_height"] = int(whole.shape[0])
            self.writer.write_screen(nid, meta, s.xml, s.image)
        # the screenshots (the screen's and its segments') live on disk; in memory a screen is
        # its widgets and hierarchy (~8 MB less per screen at 1080x2400)
        s = replace(s, image=None, segments=tuple(replace(g, image=None) for g in s.segments))
        self.screens[nid] = s
        if s.kind is ScreenKind.APP:
            self._register_actions(nid, s)
            self._match_goals(nid, s, Scope.APP)
        elif s.kind is ScreenKind.SYSTEM:
            self._match_goals(nid, s, Scope.SYSTEM)
        return nid, True

    def _screen_meta(self, nid: str, s: Screen) -> dict[str, Any]:
        return {"id": nid, "key": s.key, "kind": s.kind.value, "activity": s.activity,
                "package": s.package, "dialog": s.dialog, "secure": s.secure,
                "first_seen": self.steps, "density": self.device.density(),
                "under_key": s.under_key, "texts": list(s.texts),
                "widgets": [w.to_json() for w in s.widgets]}

    def _register_actions(self, nid: str, s: Screen) -> None:
        acts: list[tuple[str, str, ActionStatus]] = []
        found = self.graph.found_goals()
        clickables = [w for w in s.widgets if w.clickable]
        safety = self.flow.safety
        risk = self.risks[nid] = safety.assess(s, self._arrival)
        for w in s.widgets:
            if w.editable and not w.password:
                continue  # typing is not exploration
            if not (w.clickable or w.checkable or w.password):
                continue
            if w.checkable and not w.clickable and any(
                    c.bounds.contains(*w.bounds.center) for c in clickables):
                continue  # the switch of a clickable settings row: the row is the action
            if w.list_item and not w.sig.endswith("#1"):
                continue  # one item per list shape
            stop = safety.check(w, s, risk=risk)
            if stop is not None:
                acts.append((w.sig, w.label, ActionStatus.DENIED))
                self._stopped_before(nid, w, stop)
                continue
            acts.append((w.sig, w.label, ActionStatus.UNEXPLORED))
            self.explorer.register(nid, w.sig, priority(w, self.flow.goals, found, s.dialog))
        self.graph.set_actions(nid, acts)

    def _match_goals(self, nid: str, s: Screen, scope: Scope) -> None:
        self.graph.match_goals(nid, s, self.flow.goals, scope, self.app_names)

    # ----------------------------------------------------------------- steps
    def _log(self, frm: str | None, action: dict[str, Any], to: str | None,
             event: str | None, extra: dict[str, Any] | None = None,
             seconds: float = 0.0, decide: float = 0.0) -> None:
        self.steps += 1
        rec: dict[str, Any] = {"step": self.steps, "from": frm, "action": action, "to": to,
                               "event": event, "time": round(seconds, 4),
                               "decide_ms": round(decide * 1000, 3)}
        if extra:
            rec.update(extra)
        self._last_action_kind = str(action.get("kind"))
        self._last_event = event
        if event and event not in ("stopped_before", "launch_changed"):
            self.faults.append(event)
        if self.replay:
            logged = self.replay.popleft()
            same = (logged.get("from") == frm and logged.get("to") == to and
                    logged.get("action", {}).get("kind") == action.get("kind") and
                    logged.get("action", {}).get("sig") == action.get("sig"))
            if not same:
                self.diverged_at = self.steps
                self.replay.clear()
                raise DeviceError(
                    f"--resume could not reproduce logged step {self.steps} (the app behaved "
                    "differently); start a new run with another --out")
            self.replayed += 1
        elif self.writer is not None:
            self.writer.append_step(rec)
        if self.writer is not None and self.steps % 10 == 0 and not self.replay:
            self.writer.update_run(elapsed=round(self.timer.elapsed(), 3))
        self._report(event)

    def _stopped_before(self, nid: str, w: Widget, stop: Stop) -> None:
        action = {"kind": "type" if w.editable else "tap", "sig": w.sig,
                  "target": w.target_json(), "executed": False}
        self._log(nid, action, nid, "stopped_before",
                  {"reason": stop.reason.value, "evidence": stop.evidence})

    def _observe(self) -> Observation:
        if self.replay and self.offline:
            return self._logged_observation()
        ob = self.obs.observe(lambda k: self.graph.node_for(k) is not None)
        if self.replay and self.writer is not None:
            want = self._logged_screen()
            if want is not None and want.key != ob.screen.key:
                # the phone remembers something the log's fresh start did not (a consent
                # given, a popup seen): believe the log, replay the rest without the device
                self.offline, self._resync = True, True
                self.offline_from = self.steps + 1
                self.writer.update_run(resume_offline_from=self.offline_from)
                return self._logged_observation()
        return ob

    def _logged_screen(self) -> Screen | None:
        """The screen the next logged step reached, from the graph or the run folder."""
        to = self.replay[0].get("to") if self.replay else None
        if to is None:
            return None
        if to in self.screens:
            return self.screens[to]
        if self.writer is None or not self.writer.has_screen(str(to)):
            return None
        meta = read_json(self.writer.screens / f"{to}.json")
        if any("sig" not in w for w in meta.get("widgets", ())):
            return None  # a run folder from before screens were stored whole
        xml_path = self.writer.screens / f"{to}.xml"
        return Screen(kind=ScreenKind(meta["kind"]), package=str(meta.get("package", "")),
                      activity=str(meta.get("activity", "")), key=str(meta["key"]),
                      dialog=bool(meta.get("dialog")), secure=bool(meta.get("secure")),
                      widgets=tuple(Widget.from_json(w) for w in meta.get("widgets", ())),
                      under_key=str(meta.get("under_key", "")),
                      xml=xml_path.read_text(encoding="utf-8") if xml_path.is_file() else "",
                      texts=tuple(meta.get("texts", ())))

    def _logged_observation(self) -> Observation:
        s = self._logged_screen()
        if s is None:
            self.diverged_at = self.steps + 1
            self.replay.clear()
            raise DeviceError(f"--resume could not rebuild logged step {self.steps + 1} from the "
                              "run folder; start a new run with another --out")
        # safety stops on a new screen are logged before the step that reached it
        rec = next((r for r in self.replay if r.get("event") != "stopped_before"), self.replay[0])
        return Observation(s, endless="endless_list" in (rec.get("events") or [rec.get("event")]))

    def _live(self) -> bool:
        """Whether to act on the device (not while replaying the log from the run folder)."""
        if self.offline and not self.replay:
            self.offline = False  # the log is used up: the device is used as it is
        return not self.offline

    def _after(self, frm: str | None, action: dict[str, Any], t0: float, decide: float,
               edge_sig: str | None = None, edge_label: str = "") -> str:
        """Observe the result of an action, register it, log the step and the edge."""
        ob = self._observe()
        s = ob.screen
        nid, new = self._register(ob)
        events: list[str] = []
        if new and s.secure:
            events.append("secure_screen")
        if new and ob.endless:
            events.append("endless_list")
        prev = self.screens.get(frm) if frm else None
        if s.kind is ScreenKind.APP and s.dialog and s.under_key and prev is not None:
            from_key = prev.under_key if prev.dialog else prev.key
            if prev.kind is ScreenKind.APP and s.under_key != from_key:
                events.append("popup")
        if frm is not None and prev is not None and prev.kind is ScreenKind.APP:
            if s.kind is ScreenKind.APP and not s.dialog and not s.widgets \
                    and action["kind"] == "tap":
                events.append("blank_screen")
                self.graph.g.nodes[nid]["blank"] = True
            if s.kind is ScreenKind.LAUNCHER and action["kind"] == "tap":
                events.append("crash")
            elif s.kind is ScreenKind.SYSTEM_DIALOG:
                events.append("anr" if s.key.endswith("anr") else "crash")
            elif s.kind is ScreenKind.EXTERNAL:
                events.append("external_app")
        if self._first_walk_open:
            if edge_sig is not None and frm is not None \
                    and len(self.first_walk) < MAX_FIRST_WALK:
                self.first_walk.append((frm, edge_sig, nid))
            else:
                self._first_walk_open = False
        if edge_sig is not None and frm is not None:
            src = self.cur_screen if self.cur == frm and self.cur_screen is not None else prev
            self.graph.add_edge(frm, nid, edge_sig, edge_label, action["kind"], self.steps + 1,
                                returns=returns_edge(action["kind"], edge_label, src, s),
                                under=s.under_key if s.dialog else "")
        extra = {"events": events} if len(events) > 1 else None
        self._log(frm, action, nid, events[0] if events else None, extra,
                  time.monotonic() - t0, decide)
        self.cur, self.cur_screen = nid, self.screens.get(nid, s)
        # keep the freshest observation for acting (widget positions), the first for records
        self.cur_screen = s if not new else self.screens[nid]
        return nid

    def tap(self, w: Widget, frm: str, decide: float = 0.0, edge: bool = True) -> str | None:
        t0 = time.monotonic()
        target = w
        if not w.scroll and self.cur_screen is not None:
            target = next((c for c in self.cur_screen.widgets if c.sig == w.sig), w)
        live = self._live()
        if w.scroll and not live:
            logged = self.replay[0].get("action", {})
            if logged.get("sig") != w.sig or self.replay[0].get("from") != frm:
                return None  # the logged run could not bring it into view either
        elif w.scroll:
            found = self.obs.find(self.cur_screen, w.sig, w.scroll) if self.cur_screen else None
            if found is None:
                return None
            target = found
        x, y = target.bounds.center
        if live:
            self.device.tap(x, y)
        action = {"kind": "tap", "x": x, "y": y, "sig": w.sig, "target": w.target_json()}
        # the screen this tap reaches is judged knowing it was reached by a purchase/deletion
        self._arrival = self.flow.safety.arrival(w, self.risks.get(frm) or self.flow.safety.assess(
            self.cur_screen)) if self.cur_screen is not None else None
        try:
            return self._after(frm, action, t0, decide, w.sig if edge else None, w.label)
        finally:
            self._arrival = None

    def back(self, frm: str | None, decide: float = 0.0) -> str:
        t0 = time.monotonic()
        if self._live():
            self.device.back()
        return self._after(frm, {"kind": "back", "sig": "back"}, t0, decide,
                           "back" if frm is not None and self.graph.kind(frm) is ScreenKind.APP
                           else None, "back")

    def launch(self, decide: float = 0.0) -> str:
        t0 = time.monotonic()
        if self._live():
            self.device.app_stop(self.package)
            self.device.app_start(self.package)
        return self._after(self.cur, {"kind": "launch", "package": self.package}, t0, decide)

    def home(self) -> str:
        t0 = time.monotonic()
        if self._live():
            self.device.home()
        return self._after(self.cur, {"kind": "home"}, t0, 0.0)

    # ----------------------------------------------------------------- phases
    def run(self) -> CrawlResult:
        budget_hit = False
        try:
            if self.flow.goals.system_goals():
                self.phase = "uninstall"
                SystemPath(self).walk()
            self.phase = "launch"
            self._launch_app(root=True)
            self.phase = "setup"
            self._setup()
            self.phase = "explore"
            self._explore()
        except _Stop:
            budget_hit = True
            self.status = "budget"
            self._log(self.cur, {"kind": "none"}, self.cur, "budget")
        if self.status == "done" and self.stop_on_goal and \
                self.stop_on_goal in self.graph.found_goals():
            self.status = "goal"
        self.graph.main = main_screen_of(self.graph, self.screens)
        launch = {"landings": list(dict.fromkeys(self.landings)), "launches": len(self.landings),
                  "changed": any(n != self.graph.root for n in self.landings),
                  "gave_up": self.launch_gave_up}
        verified = None
        if self.verify:
            self.phase = "verify"  # replay every goal path from a cold start (crawl/replay.py)
            verified = verify_all(self, self.flow.goals)
        self.phase = "done"
        metrics = build_metrics(self.graph, self.flow.goals, steps=self.steps,
                                status="budget" if budget_hit else (
                                    "goal" if self.status == "goal" else "exhausted"),
                                faults=self.faults, verified=verified, retries=self.retries,
                                launch=launch)
        graph = self.graph.to_json()
        if self.writer is not None:
            self.writer.write_graph(graph)
            self.writer.write_metrics(metrics)
            from darkscan.crawl.probes import run_probes  # post-crawl checks (issue #5)
            run_probes(self.device, self.writer.out, self.flow)
        mean = (sum(self.decide_times) / len(self.decide_times) * 1000) \
            if self.decide_times else 0.0
        return CrawlResult(self.status, self.steps, metrics, graph, mean, self.replayed,
                           self.diverged_at)

    def _launch_app(self, root: bool = False) -> None:
        if not self.replay:
            self._resync = False  # a launch is the resynchronisation
        for _ in range(MAX_LAUNCH_FAILURES):
            self._check_budget()
            nid = self.launch()
            if self.graph.kind(nid) is ScreenKind.APP:
                if root and self.graph.root is None:
                    self.graph.root = nid
                    self._first_walk_open = True
                self.landings.append(nid)
                return
        raise DeviceError(f"{self.package} does not start: after {MAX_LAUNCH_FAILURES} launches "
                          "the app is still not in the foreground")

    def _find(self, sel: Selector) -> Widget | None:
        s = self.cur_screen
        if s is None:
            return None
        for w in s.widgets:
            rid = w.resource_id.rsplit("/", 1)[-1]
            if sel.text is not None and w.label.strip() != sel.text and w.text.strip() != sel.text:
                continue
            if sel.resource_id is not None and sel.resource_id not in (w.resource_id, rid):
                continue
            if sel.desc is not None and w.desc.strip() != sel.desc:
                continue
            if sel.text_contains is not None and sel.text_contains not in w.label:
                continue
            return w
        return None

    def _setup(self) -> None:
        for i, st in enumerate(self.flow.setup):
            self._check_budget()
            key = f"setup[{i}]"
            if st.kind is StepKind.BACK:
                self.back(self.cur)
                continue
            if st.kind is StepKind.WAIT:
                if not self.replay:
                    time.sleep(st.seconds)
                continue
            assert st.selector is not None
            w = self._find(st.selector)
            if w is None:
                raise FlowError(str(self.flow.path), key,
                                f"no widget with {st.selector.describe()} on screen {self.cur}")
            if st.kind is StepKind.TAP:
                final = final_wording(w, self.flow.safety.extra_pay, self.flow.safety.extra_delete)
                if final is not None:  # a script can log in, never pay or delete
                    raise FlowError(str(self.flow.path), key,
                                    f"refusing to tap {w.label!r}: {final[0].value} wording "
                                    f"({final[1]}); darkscan never completes one")
                self.tap(w, self.cur or "")
                continue
            secret = w.password or code_field(w)
            if secret and not (st.allow_password or self.flow.safety.allow_password):
                what = "password" if w.password else "verification-code"
                raise FlowError(str(self.flow.path), key,
                                f"refusing to type into a {what} field (add allow_password: "
                                "true to this step if the account is a test account)")
            self.tap(w, self.cur or "", edge=False)
            t0 = time.monotonic()
            if self._live():
                self.device.send_text(st.text)
            shown = "***" if secret else st.text
            self._after(self.cur, {"kind": "type", "sig": w.sig, "text": shown,
                                   "target": w.target_json()}, t0, 0.0)

    def _explore(self) -> None:
        nav_streak = 0
        fruitless: list[str] = []  # landings of relaunches in a row that made nothing reachable
        while True:
            self._check_budget()
            if self.stop_on_goal and self.stop_on_goal in self.graph.found_goals():
                return
            if self._resync and not self.replay:
                # resumed from the run folder: the phone is wherever it was left
                self._launch_app()
                continue
            s = self.cur_screen
            if s is None or s.kind is not ScreenKind.APP or self.cur is None:
                self._recover()
                continue
            t0 = time.perf_counter()
            d = self.explorer.choose(self.cur, self.blocked)
            decide = time.perf_counter() - t0
            self.decide_times.append(decide)
            if d.move is Move.DONE:
                return
            if d.move is Move.RELAUNCH:
                if nav_streak > 0 and self.cur == self.graph.root:
                    # even from a fresh start nothing unexplored is reachable
                    mark_failed(self.graph, self.explorer.unreachable(self.blocked),
                                ActionStatus.UNREACHABLE)
                    return
                if self._last_action_kind == "launch":
                    # a fresh launch that landed elsewhere than the first one (the launch
                    # sequence changed: a consent shown once) and reaches nothing left
                    if self.cur in fruitless or len(fruitless) >= self.relaunch_budget:
                        self._give_up_relaunching(len(fruitless) + 1)
                        return
                    fruitless.append(self.cur)
                nav_streak += 1
                self._launch_app()
                continue
            if d.move is Move.NAV:
                nav_streak += 1
                if nav_streak > 2 * len(self.graph.app_nodes()) + 6:
                    assert d.target is not None
                    self.blocked.add(d.target)
                    self.graph.set_status(*d.target, ActionStatus.FAILED)
                    nav_streak = 0
                    self._launch_app()
                    continue
            else:
                nav_streak = 0
                fruitless.clear()
            self._take(d, decide)

    def _take(self, d: Decision, decide: float) -> None:
        assert self.cur is not None and d.sig is not None
        frm = self.cur
        if d.sig == "back":
            self.back(frm, decide)
            return
        w = self._widget(frm, d.sig)
        if w is None:
            self.graph.set_status(frm, d.sig, ActionStatus.FAILED)
            return
        if d.move is Move.ACT:
            self.graph.set_status(frm, d.sig, ActionStatus.EXPLORED)
        to = self.tap(w, frm, decide)
        if to is None:
            self.graph.set_status(frm, d.sig, ActionStatus.FAILED)
        elif d.move is Move.ACT and self._last_event in FAULT_EVENTS:
            # a fault is retried, not believed: try again after a relaunch, up to `retries`
            if self.graph.note_fault(frm, d.sig) <= self.retries:
                self.graph.set_status(frm, d.sig, ActionStatus.UNEXPLORED)
                if self._last_event == "blank_screen":
                    self._launch_app()  # still in the app: relaunch before the retry
                else:
                    self._relaunch_first = True  # _recover relaunches
        elif d.move is Move.ACT and to == frm and self._last_event is None and \
                not (w.checkable or w.editable or w.list_item):
            self._tap_again(w, frm)

    def _tap_again(self, w: Widget, frm: str) -> None:
        """A button that left its screen looking the same may still have moved the app on
        (identical onboarding pages, a pager drawn only in pixels): tap it again, up to
        SAME_SCREEN_RETAPS times, and record how many taps it took (``taps`` on the edge)."""
        taps, to = 1, frm
        while to == frm and taps <= SAME_SCREEN_RETAPS:
            nxt = self.tap(w, frm)
            if nxt is None or self._last_event in FAULT_EVENTS:
                return
            taps, to = taps + 1, nxt
        if to != frm and self.graph.g.has_edge(frm, to, key=w.sig):
            data = self.graph.g.edges[frm, to, w.sig]
            if data["step"] == self.steps:  # recorded by this tap: it took ``taps`` taps
                data["taps"] = taps

    def _give_up_relaunching(self, relaunches: int) -> None:
        """Stop relaunching: what is left sits on screens no launch shows any more."""
        left = self.explorer.unreachable(self.blocked)
        mark_failed(self.graph, left, ActionStatus.UNREACHABLE)
        self.launch_gave_up = {"step": self.steps + 1, "relaunches": relaunches,
                               "left": len(left), "landing": self.cur}
        self._log(self.cur, {"kind": "none"}, self.cur, "launch_changed",
                  {"relaunches": relaunches, "left": len(left)})

    def _widget(self, nid: str, sig: str) -> Widget | None:
        s = self.screens.get(nid)
        return next((w for w in s.widgets if w.sig == sig), None) if s else None

    def _recover(self) -> None:
        """Get back into the app after a crash, another app, a system dialog or leaving it."""
        s = self.cur_screen
        if s is not None and s.kind is ScreenKind.SYSTEM_DIALOG:
            words = ANR_WAIT if s.key.endswith("anr") else ANR_CLOSE
            btn = next((w for w in s.widgets if w.clickable and
                        any(p == normalize(w.label) for p in words)), None)
            if btn is not None:
                self.tap(btn, self.cur or "", edge=False)
                return
        if s is not None and s.kind is ScreenKind.EXTERNAL and self.cur is not None:
            if self._last_action_kind != "back" and not self._relaunch_first:
                self.back(self.cur)
                return
        self._relaunch_first = False
        self._launch_app()

    _last_action_kind: str | None = None
    _last_event: str | None = None
