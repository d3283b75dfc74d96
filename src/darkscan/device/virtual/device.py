"""VirtualDevice: runs app files behind the Device protocol, with a launcher, Settings, a back
stack, dialogs, toggles, popups, crashes, external apps, secure and slow screens."""

from __future__ import annotations

import random
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from darkscan.device.protocol import CurrentApp, DeviceInfo
from darkscan.device.virtual import render, xmlgen
from darkscan.device.virtual.appfile import load_app
from darkscan.device.virtual.events import Counters, DeviceEvent, EventKind
from darkscan.device.virtual.layout import (
    Element,
    ScreenLayout,
    ScreenState,
    layout_screen,
    nav_buttons,
    walk,
)
from darkscan.device.virtual.model import (
    Action,
    ActionKind,
    App,
    LaunchBack,
    LaunchStep,
    Screen,
    ScreenSize,
    Show,
    WidgetType,
)
from darkscan.device.virtual.system import (
    LAUNCHER,
    SETTINGS,
    external_app,
    launcher_app,
    settings_app,
)
from darkscan.errors import DeviceError

ACTION_SECONDS = 0.25  # virtual time one tap/swipe/key press takes
_CACHE_SIZES = {"png": 24, "xml": 256, "layout": 256}  # screenshots are megabytes each


@dataclass
class _Frame:
    screen_id: str
    values: dict[str, Any] = field(default_factory=dict)  # checkbox / radio / input values
    scroll: int = 0
    focused: str | None = None
    launch: int | None = None  # index into the task's launch plan (a launch step's frame)
    entered: float = 0.0       # device clock when it was shown (launch-step timeouts)


@dataclass
class _Task:
    app: App
    frames: list[_Frame]
    plan: tuple[LaunchStep, ...] = ()  # the launch steps this launch shows


def _toggle_widgets(screen: Screen) -> Iterable[Any]:
    for w in screen.widgets:
        yield w
        yield from w.items


class VirtualDevice:
    """A deterministic Android stand-in. Same actions -> same screenshots and XML bytes."""

    def __init__(self, apps: Iterable[str | Path | App], serial: str = "virtual-1", *,
                 locale: str | None = None, size: ScreenSize | None = None,
                 seed: int = 0) -> None:
        loaded = [a if isinstance(a, App) else load_app(a) for a in apps]
        seen: set[str] = set()
        for a in loaded:
            if a.package in seen or a.package in (LAUNCHER, SETTINGS):
                raise DeviceError(f"two apps use the package name {a.package}")
            seen.add(a.package)
        self._serial = serial
        self.size = size or (loaded[0].screen_size if loaded else ScreenSize())
        self.locale = locale or (loaded[0].lang if loaded else "zh-Hans")
        self.installed: dict[str, App] = {a.package: a for a in loaded}
        self.counters = Counters()
        self.events: list[DeviceEvent] = []
        self.clock = 0.0  # virtual seconds since boot
        self.last_delay = 0.0  # how long the last action took to show its screen
        self._switches: dict[tuple[str, str], dict[str, bool]] = {}   # (pkg, screen) -> key: on
        self._popups_shown: dict[tuple[str, str], int] = {}
        # device state that survives launches, like a phone's app data
        self.seed = seed  # `show: random` launch steps: reproducible per (seed, launch number)
        self.launches: dict[str, int] = {}  # package -> launches so far
        self._passed: set[tuple[str, str]] = set()  # `show: first` launch steps moved past
        self._crash_entries: dict[tuple[str, str], int] = {}  # `crash: once / N` entries
        self._caches: dict[str, OrderedDict[Any, Any]] = {k: OrderedDict() for k in _CACHE_SIZES}
        self._rebuild_system()
        self._chain: list[_Task] = []  # foreground task last; empty = launcher
        self._background: dict[str, _Task] = {}

    # ----- Device protocol -------------------------------------------------------------------
    @property
    def serial(self) -> str:
        return self._serial

    def info(self) -> DeviceInfo:
        return DeviceInfo(self._serial, "darkscan virtual", "virtual", self.size.width,
                          self.size.height, self.size.density)

    def window_size(self) -> tuple[int, int]:
        return (self.size.width, self.size.height)

    def density(self) -> float:
        return self.size.density

    def screenshot(self) -> np.ndarray:
        task = self._fg
        img = self._cached("png", self._signature(task), lambda: self._render(task))
        return np.array(img, dtype=np.uint8, copy=True)

    def dump_hierarchy(self) -> str:
        task = self._fg
        return str(self._cached("xml", self._signature(task), lambda: self._xml(task)))

    def tap(self, x: int, y: int) -> None:
        self._tick()
        task = self._fg
        lays = self._layouts(task)
        top = lays[-1]
        if top.nav_bar.contains(x, y):
            for name, box in nav_buttons(top.nav_bar, self.size.density).items():
                if box.contains(x, y):
                    {"back": self.back, "home": self.home}.get(name, lambda: None)()
            return
        if top.status_bar.contains(x, y):
            return
        frame = task.frames[-1]
        screen = task.app.screen(frame.screen_id)
        if screen.dialog:
            assert top.dialog is not None
            if not top.dialog.contains(x, y):
                if screen.outside_closes:
                    self._pop(task)
                return
        else:
            if top.nav_up is not None and top.nav_up.contains(x, y):
                self.back()
                return
            for tab in top.tabs:
                if tab.box.contains(x, y):
                    if tab.action is not None and not tab.selected:
                        self._act(task, tab.action, None, replace=True)
                    return
        hit = _hit(top.elements, x, y)
        if hit is None or not hit.enabled:
            return
        if hit.widget is not None and hit.widget.type is WidgetType.INPUT:
            frame.focused = hit.key
        self._act(task, hit.action, hit)

    def back(self) -> None:
        self._tick()
        if not self._chain:
            return
        self._pop(self._chain[-1], system_back=True)

    def home(self) -> None:
        self._tick()
        for task in self._chain:
            self._background[task.app.package] = task
        self._chain = []

    def swipe(self, x1: int, y1: int, x2: int, y2: int, duration: float = 0.2) -> None:
        self._tick()
        dy, dx = y1 - y2, x1 - x2
        if abs(dy) < 10 or abs(dy) < abs(dx):
            return
        task = self._fg
        top = self._layouts(task)[-1]
        area = top.dialog if top.dialog is not None else top.viewport
        if not area.contains(x1, y1) or top.max_scroll == 0:
            return
        frame = task.frames[-1]
        frame.scroll = min(max(0, top.scroll + dy), top.max_scroll)

    def send_text(self, text: str) -> None:
        self._tick()
        task = self._fg
        frame = task.frames[-1]
        if frame.focused is None:
            return
        screen = task.app.screen(frame.screen_id)
        widget = next((w for w in _toggle_widgets(screen) if w.key == frame.focused), None)
        if widget is None:
            return
        frame.values[frame.focused] = text
        if widget.password:
            self.counters.password_entries += 1
            self._event(EventKind.PASSWORD, task.app.package, frame.screen_id)
        elif widget.code:
            self.counters.code_entries += 1
            self._event(EventKind.PASSWORD, task.app.package, frame.screen_id)

    def app_start(self, package: str) -> None:
        """Launch ``package`` fresh on its start screen (like ``am start -S``)."""
        self._tick()
        app = self._app(package)
        self._forget(package)
        if package == LAUNCHER:
            self._chain = []
            return
        task = self._start_task(app)
        self._chain = [task] if task.frames else []

    def app_stop(self, package: str) -> None:
        self._forget(package)

    def app_current(self) -> CurrentApp:
        task = self._fg
        under = next(f for f in reversed(task.frames)
                     if not task.app.screen(f.screen_id).dialog)
        return CurrentApp(task.app.package, task.app.screen(under.screen_id).activity)

    # ----- introspection for tests and the crawler ---------------------------------------------
    def current_screen(self) -> tuple[str, str]:
        """(package, screen id) in the foreground (the dialog's id when one is open)."""
        task = self._fg
        return task.app.package, task.frames[-1].screen_id

    def open_screen(self, package: str, screen_id: str) -> None:
        """Show one screen directly, without its entry effects (popup, crash, slow, sticky).

        For previews and tests; a dialog screen opens over the app's start screen.
        """
        app = self._app(package)
        if screen_id not in app.screens:
            raise DeviceError(f"{package} has no screen '{screen_id}'")
        self._forget(package)
        frames = [_Frame(screen_id)]
        if app.screen(screen_id).dialog:
            frames.insert(0, _Frame(app.start))
        self._chain = [_Task(app, frames)]

    def install(self, app: str | Path | App) -> None:
        loaded = app if isinstance(app, App) else load_app(app)
        self.installed[loaded.package] = loaded
        self._rebuild_system()

    # ----- internals ----------------------------------------------------------------------------
    @property
    def _fg(self) -> _Task:
        return self._chain[-1] if self._chain else self._launcher_task

    def _tick(self) -> None:
        self.clock += ACTION_SECONDS
        self.last_delay = 0.0
        if self._chain:  # a splash countdown that ran out moves on before the next action
            task = self._chain[-1]
            top = task.frames[-1] if task.frames else None
            if top is not None and top.launch is not None:
                step = task.plan[top.launch]
                if step.timeout is not None and self.clock - top.entered >= step.timeout:
                    self._next_launch(task)

    # ----- launch sequences (docs/app-format.md, "Launch sequences") ----------------------------
    def _start_task(self, app: App) -> _Task:
        """A fresh task of ``app``: its launch steps for this launch, then its start screen."""
        n = self.launches[app.package] = self.launches.get(app.package, 0) + 1
        plan = tuple(s for s in app.launch if self._shows(app.package, s, n))
        task = _Task(app, [], plan)
        self._show_launch(task, 0)
        return task

    def _shows(self, package: str, step: LaunchStep, launch_no: int) -> bool:
        if step.show is Show.FIRST:
            return (package, step.screen) not in self._passed
        if step.show is Show.RANDOM:
            draw = random.Random(f"{self.seed}|{package}|{step.screen}|{launch_no}").random()
            return draw < step.chance
        return True

    def _show_launch(self, task: _Task, i: int) -> None:
        """Show launch step ``i`` of the plan: a dialog step is drawn over the next full-screen
        step (or the start screen); past the last step, the start screen."""
        app, plan = task.app, task.plan
        full = next((j for j in range(i, len(plan)) if not app.screen(plan[j].screen).dialog),
                    None)
        under = plan[full].screen if full is not None else app.start
        base = next((f for f in task.frames if not app.screen(f.screen_id).dialog), None)
        if base is not None and base.screen_id == under and base.launch == full:
            task.frames = [base]
        else:
            task.frames = []
            self._enter(task, under)
            if not task.frames:
                return  # it crashed
            task.frames[0].launch, task.frames[0].entered = full, self.clock
        if i < len(plan) and i != full:
            self._enter(task, plan[i].screen)
            if task.frames and task.frames[-1].screen_id == plan[i].screen:
                task.frames[-1].launch, task.frames[-1].entered = i, self.clock

    def _next_launch(self, task: _Task) -> None:
        """Move past the launch step on top (``next``, a timeout, or back where it means next)."""
        top = task.frames[-1]
        assert top.launch is not None
        step = task.plan[top.launch]
        if step.show is Show.FIRST:
            self._passed.add((task.app.package, step.screen))
        self._show_launch(task, top.launch + 1)
        if not task.frames:
            self._drop(task)

    def _event(self, kind: EventKind, package: str, detail: str) -> None:
        self.events.append(DeviceEvent(kind, package, detail, round(self.clock, 3)))

    def _rebuild_system(self) -> None:
        apps = list(self.installed.values())
        self._launcher = launcher_app(apps, self.size, self.locale)
        self._settings = settings_app(apps, self.size, self.locale)
        self._launcher_task = _Task(self._launcher, [_Frame("home")])
        for cache in getattr(self, "_caches", {}).values():
            cache.clear()
        for tasks in (getattr(self, "_chain", []), getattr(self, "_background", {}).values()):
            for t in tasks:
                if t.app.package == SETTINGS:
                    t.app = self._settings

    def _app(self, package: str) -> App:
        if package == LAUNCHER:
            return self._launcher
        if package == SETTINGS:
            return self._settings
        if package not in self.installed:
            raise DeviceError(f"package {package} is not installed on {self._serial}")
        return self.installed[package]

    def _forget(self, package: str) -> None:
        self._background.pop(package, None)
        self._chain = [t for t in self._chain if t.app.package != package]

    def _drop(self, task: _Task) -> None:
        """Take ``task`` off the chain (its last screen closed, it crashed or it exited)."""
        self._chain = [t for t in self._chain if t is not task]

    def _enter(self, task: _Task, screen_id: str) -> None:
        """Push ``screen_id``: slow delay, crash, sticky switches, first-N-times popups."""
        app = task.app
        screen = app.screen(screen_id)
        if screen.slow:
            self.clock += screen.slow
            self.last_delay += screen.slow
            self._event(EventKind.SLOW, app.package, screen_id)
        if screen.crash_first:
            k = (app.package, screen_id)
            if self._crash_entries.get(k, 0) < screen.crash_first:
                self._crash_entries[k] = self._crash_entries.get(k, 0) + 1
                self._crash(task, screen_id)
                return
        if screen.crash:
            self._crash(task, screen_id)
            return
        for w in _toggle_widgets(screen):
            if w.type is WidgetType.SWITCH and w.sticky:
                self._switches.setdefault((app.package, screen_id), {})[w.key] = w.checked
        task.frames.append(_Frame(screen_id))
        if screen.secure:
            self._event(EventKind.SECURE_SCREEN, app.package, screen_id)
        if screen.popup is not None:
            k = (app.package, screen_id)
            if self._popups_shown.get(k, 0) < screen.popup.times:
                self._popups_shown[k] = self._popups_shown.get(k, 0) + 1
                self._event(EventKind.POPUP, app.package, screen.popup.screen)
                self._enter(task, screen.popup.screen)

    def _pop(self, task: _Task, system_back: bool = False) -> None:
        if task is self._launcher_task:
            return
        top = task.frames[-1]
        if top.launch is not None:
            how = task.plan[top.launch].back if system_back else LaunchBack.NEXT
            if how is LaunchBack.NEXT:
                self._next_launch(task)
            elif how is LaunchBack.EXIT:
                self._drop(task)
            return
        task.frames.pop()
        if not task.frames:
            self._drop(task)

    def _crash(self, task: _Task, where: str) -> None:
        self.counters.crashes += 1
        self._event(EventKind.CRASH, task.app.package, where)
        self._forget(task.app.package)
        for t in self._chain:
            self._background[t.app.package] = t
        self._chain = []

    def _go(self, task: _Task, target: str, replace: bool = False) -> None:
        app = task.app
        # a launch-step dialog (consent) stays under what its links open: back returns to it
        if task.frames and task.frames[-1].launch is not None and \
                app.screen(task.frames[-1].screen_id).dialog:
            replace = False
        else:
            while task.frames and app.screen(task.frames[-1].screen_id).dialog and not \
                    app.screen(target).dialog:
                task.frames.pop()
            if task.frames and app.screen(target).dialog and app.screen(
                    task.frames[-1].screen_id).dialog or replace and task.frames:
                task.frames.pop()
        self._enter(task, target)
        if not task.frames:  # everything popped and the entry crashed
            self._drop(task)

    def _act(self, task: _Task, action: Action | None, hit: Element | None,
             replace: bool = False) -> None:
        if action is None:
            return
        k = action.kind
        frame = task.frames[-1]
        pkg = task.app.package
        if k is ActionKind.GO:
            assert action.target is not None
            self._go(task, action.target, replace)
        elif k is ActionKind.BACK:
            self._pop(task)
        elif k is ActionKind.CLOSE:
            if task.app.screen(frame.screen_id).dialog:
                self._pop(task)
        elif k is ActionKind.TOGGLE and hit is not None and hit.widget is not None:
            w = hit.widget
            if w.type is WidgetType.SWITCH:
                on = self._switches.setdefault((pkg, frame.screen_id), {})
                on[w.key] = not on.get(w.key, w.checked)
            elif w.type is WidgetType.CHECKBOX:
                frame.values[w.key] = not frame.values.get(w.key, w.checked)
            elif w.type is WidgetType.RADIO:
                frame.values[w.key] = int(hit.key.rsplit("#", 1)[1])
        elif k is ActionKind.OPEN_APP:
            assert action.target is not None
            self._open(action.target)
        elif k is ActionKind.CRASH:
            self._crash(task, frame.screen_id)
        elif k is ActionKind.PAY:
            self.counters.payments += 1
            self._event(EventKind.PAYMENT, pkg, frame.screen_id)
            self._go(task, action.target or "", replace)
        elif k is ActionKind.DELETE_ACCOUNT:
            self.counters.deletions += 1
            self._event(EventKind.ACCOUNT_DELETION, pkg, frame.screen_id)
            self._go(task, action.target or "", replace)
        elif k is ActionKind.UNINSTALL:
            self._uninstall(action.target or pkg)  # {uninstall: true} in an app: itself
        elif k is ActionKind.HOME:
            self.home()
        elif k is ActionKind.NEXT:
            if frame.launch is not None:
                self._next_launch(task)

    def _open(self, package: str) -> None:
        """Another app comes to the foreground (the launcher resumes a backgrounded task)."""
        if package in self._background and self._fg is self._launcher_task:
            self._chain = [self._background.pop(package)]
            return
        if package in self.installed or package in (SETTINGS, LAUNCHER):
            app = self._app(package)
        else:
            app = external_app(package, self.size, self.locale)
        if self._fg is not self._launcher_task:
            self._event(EventKind.EXTERNAL_APP, package, self._fg.app.package)
        self._forget(package)
        if package in self.installed:
            task = self._start_task(app)
            self._chain.append(task)
        else:
            task = _Task(app, [])
            self._chain.append(task)
            self._enter(task, app.start)
        if not task.frames:
            self._drop(task)

    def _uninstall(self, package: str) -> None:
        if package not in self.installed:
            return
        self.counters.uninstalls += 1
        self._event(EventKind.UNINSTALL, package, "")
        self._forget(package)
        del self.installed[package]
        self._rebuild_system()
        task = self._fg
        if task.app.package == SETTINGS:
            task.frames = [f for f in task.frames if f.screen_id in ("main", "apps")]

    # ----- layout / render / xml ---------------------------------------------------------------
    def _state(self, task: _Task, frame: _Frame) -> ScreenState:
        pkg = task.app.package
        values = dict(frame.values)
        values.update(self._switches.get((pkg, frame.screen_id), {}))
        return ScreenState(tuple(sorted(values.items())), frame.scroll, frame.focused)

    def _signature(self, task: _Task) -> tuple[Any, ...]:
        return (task.app.package, id(task.app), self._clock_text(),
                tuple((f.screen_id, self._state(task, f)) for f in task.frames))

    def _layouts(self, task: _Task) -> list[ScreenLayout]:
        """Layouts of the frames that are visible: the last full screen and dialogs above it."""
        frames = task.frames
        start = max(i for i, f in enumerate(frames) if not task.app.screen(f.screen_id).dialog) \
            if any(not task.app.screen(f.screen_id).dialog for f in frames) else 0
        out = []
        for f in frames[start:]:
            state = self._state(task, f)
            out.append(self._cached(
                "layout", (task.app.package, id(task.app), f.screen_id, state),
                lambda f=f, state=state: layout_screen(  # type: ignore[misc]
                    task.app, task.app.screen(f.screen_id), state, self.size)))
        return out

    def _render(self, task: _Task) -> np.ndarray:
        lays = self._layouts(task)
        if any(lay.screen.secure for lay in lays):
            return np.zeros((self.size.height, self.size.width, 3), np.uint8)
        img: Image.Image | None = None
        for lay in lays:
            if lay.screen.dialog:
                base = img if img is not None else Image.new("RGB", self.window_size(), 0)
                img = render.render_dialog(task.app, lay, base, self._clock_text())
            else:
                img = render.render_screen(task.app, lay, self._clock_text(),
                                           wallpaper=task.app.package == LAUNCHER)
        assert img is not None
        return np.asarray(img)

    def _xml(self, task: _Task) -> str:
        lays = self._layouts(task)
        roots: list[xmlgen.Node] = []
        for lay in lays:
            if lay.screen.dialog:
                roots.append(xmlgen.dialog_window(lay, task.app.package))
            else:
                roots.append(xmlgen.app_window(lay, task.app.package, self.locale,
                                               launcher=task.app.package == LAUNCHER))
        roots += xmlgen.system_windows(lays[0], self._clock_text(), self.locale)
        return xmlgen.to_xml(roots)

    def _clock_text(self) -> str:
        minutes = 9 * 60 + 41 + int(self.clock // 60)
        return f"{(minutes // 60) % 24}:{minutes % 60:02d}"

    def _cached(self, kind: str, key: Any, make: Any) -> Any:
        """LRU caches per kind: rendering the same state twice returns the stored result."""
        cache = self._caches[kind]
        if key in cache:
            cache.move_to_end(key)
            return cache[key]
        value = cache[key] = make()
        while len(cache) > _CACHE_SIZES[kind]:
            cache.popitem(last=False)
        return value


def _hit(elements: tuple[Element, ...], x: int, y: int) -> Element | None:
    """The topmost, deepest clickable element under (x, y)."""
    for e in reversed(elements):
        if not e.visible.contains(x, y):
            continue
        inner = _hit(e.children, x, y)
        if inner is not None:
            return inner
        if e.clickable:
            return e
    return None


__all__ = ["Counters", "DeviceEvent", "EventKind", "VirtualDevice", "walk"]
