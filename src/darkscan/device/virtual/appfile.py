"""Load and validate a virtual app file (docs/app-format.md) into the frozen model.

Every problem raises AppFileError naming the file, the line and what is wrong.
"""

from __future__ import annotations

import re
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from darkscan.device.virtual.icons import ICON_NAMES
from darkscan.device.virtual.model import (
    Action,
    ActionKind,
    Align,
    App,
    ButtonStyle,
    Color,
    Edges,
    Icon,
    LaunchBack,
    LaunchStep,
    Popup,
    Screen,
    ScreenSize,
    Show,
    TabItem,
    Tabs,
    Theme,
    Widget,
    WidgetType,
)
from darkscan.device.virtual.yamlread import LineDict, LineList, load_yaml, plain
from darkscan.errors import AppFileError

E = TypeVar("E", bound=Enum)

LANGS = ("zh-Hans", "zh-Hant", "en")
_COMMON = {"type", "id", "tap", "margin", "padding", "visible", "enabled"}
_TEXT = {"text", "size", "color", "bold", "align", "background"}
WIDGET_KEYS: dict[WidgetType, set[str]] = {
    WidgetType.TEXT: _TEXT,
    WidgetType.BUTTON: _TEXT | {"style", "text_color", "width", "height", "radius"},
    WidgetType.IMAGE: _TEXT | {"height", "desc", "gradient", "radius", "text_color"},
    WidgetType.CHECKBOX: _TEXT | {"checked"},
    WidgetType.RADIO: _TEXT | {"options", "selected"},
    WidgetType.SWITCH: _TEXT | {"checked", "sticky", "subtitle"},
    WidgetType.ROW: _TEXT | {"subtitle", "icon", "chevron", "value"},
    WidgetType.LIST: _TEXT | {"count", "template", "icon", "chevron", "subtitle"},
    WidgetType.ROW_GROUP: {"items", "background"},
    WidgetType.WEBVIEW: {"height", "lines", "text", "size", "color", "background"},
    WidgetType.INPUT: _TEXT | {"hint", "password", "code", "height"},
    WidgetType.DIVIDER: {"height", "color"},
    WidgetType.SPACER: {"height", "background"},
}
_USER_TYPES = {t.value: t for t in WidgetType if t is not WidgetType.APP_GRID}
_SCREEN_KEYS = {
    "activity", "title", "back_arrow", "dialog", "outside_closes", "secure", "crash", "slow",
    "popup", "tabs", "background", "widgets",
}
_APP_KEYS = {"package", "label", "icon", "lang", "screen", "theme", "start", "uninstall",
             "launch"}
_LAUNCH_KEYS = {"screen", "show", "chance", "timeout", "back"}
_THEME_KEYS = {
    "primary", "on_primary", "background", "text", "secondary_text", "divider", "app_bar",
    "app_bar_text", "status_bar",
}
_SIMPLE_ACTIONS = {
    "back": ActionKind.BACK, "close": ActionKind.CLOSE, "toggle": ActionKind.TOGGLE,
    "crash": ActionKind.CRASH, "home": ActionKind.HOME, "none": ActionKind.NONE,
    "next": ActionKind.NEXT,
}
_TARGET_ACTIONS = {
    "go": ActionKind.GO, "open_app": ActionKind.OPEN_APP, "pay": ActionKind.PAY,
    "delete_account": ActionKind.DELETE_ACCOUNT, "uninstall": ActionKind.UNINSTALL,
}
_PACKAGE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$")
_ID_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")


def _close(word: str, choices: set[str] | list[str]) -> str:
    import difflib

    near = difflib.get_close_matches(word, sorted(choices), n=1)
    return f" (did you mean '{near[0]}'?)" if near else ""


class _Reader:
    """Typed access to LineDict values with FILE:LINE errors."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, problem: str, line: int | None) -> AppFileError:
        return AppFileError(self.path, problem, line)

    def mapping(self, value: Any, what: str, line: int | None) -> LineDict:
        if not isinstance(value, LineDict):
            raise self.fail(f"{what} must be a mapping of keys", line)
        return value

    def check_keys(self, m: LineDict, allowed: set[str], what: str) -> None:
        for key in m:
            if key not in allowed:
                raise self.fail(
                    f"{what}: unknown key '{key}'{_close(str(key), allowed)}", m.line_of(key)
                )

    def str_(self, m: LineDict, key: str, what: str, default: str | None = None,
             required: bool = False) -> str | None:
        if key not in m:
            if required:
                raise self.fail(f"{what}: missing required key '{key}'", m.line)
            return default
        value = m[key]
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self.fail(f"{what}: '{key}' must be text", m.line_of(key))
        return str(value)

    def bool_(self, m: LineDict, key: str, what: str, default: bool) -> bool:
        if key not in m:
            return default
        value = m[key]
        if not isinstance(value, bool):
            raise self.fail(f"{what}: '{key}' must be true or false", m.line_of(key))
        return value

    def choice(self, m: LineDict, key: str, what: str, kind: type[E], default: str) -> E:
        """``m[key]`` (or ``default``) as a member of the enum ``kind``, else an error naming
        the values in their order."""
        raw = str(m.get(key, default))
        try:
            return kind(raw)
        except ValueError:
            names = [str(e.value) for e in kind]
            raise self.fail(f"{what}: {key} must be {', '.join(names[:-1])} or {names[-1]} "
                            f"(got '{raw}')", m.line_of(key)) from None

    def num(self, m: LineDict, key: str, what: str, default: float | None,
            minimum: float = 0.0) -> float | None:
        if key not in m:
            return default
        value = m[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(f"{what}: '{key}' must be a number", m.line_of(key))
        if value < minimum:
            raise self.fail(f"{what}: '{key}' must be at least {minimum:g}", m.line_of(key))
        return float(value)

    def color(self, m: LineDict, key: str, what: str, default: Color | None) -> Color | None:
        if key not in m:
            return default
        return parse_color(m[key], self, f"{what}: '{key}'", m.line_of(key))

    def edges(self, m: LineDict, key: str, what: str) -> Edges | None:
        if key not in m:
            return None
        value, line = m[key], m.line_of(key)
        nums = value if isinstance(value, list) else [value]
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in nums) or len(
            nums
        ) not in (1, 2, 4):
            raise self.fail(
                f"{what}: '{key}' must be a number of dp, [vertical, horizontal] or "
                "[top, right, bottom, left]",
                line,
            )
        if len(nums) == 1:
            return Edges(nums[0], nums[0], nums[0], nums[0])
        if len(nums) == 2:
            return Edges(nums[0], nums[1], nums[0], nums[1])
        return Edges(*[float(v) for v in nums])


def parse_color(value: Any, r: _Reader, what: str, line: int | None) -> Color:
    if value is None:
        raise r.fail(
            f"{what} is empty (quote colours: \"#RRGGBB\"; an unquoted # starts a YAML comment)",
            line,
        )
    text = str(value)
    m = re.fullmatch(r"#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})", text)
    if not m:
        raise r.fail(f"{what}: bad colour '{text}' (use \"#RRGGBB\" or \"#AARRGGBB\")", line)
    hexa = m.group(1)
    if len(hexa) == 6:
        return (int(hexa[0:2], 16), int(hexa[2:4], 16), int(hexa[4:6], 16), 255)
    return (int(hexa[2:4], 16), int(hexa[4:6], 16), int(hexa[6:8], 16), int(hexa[0:2], 16))


def parse_action(value: Any, r: _Reader, what: str, line: int | None) -> Action:
    if isinstance(value, str):
        if value in _SIMPLE_ACTIONS:
            return Action(_SIMPLE_ACTIONS[value])
        if value in _TARGET_ACTIONS:
            raise r.fail(f"{what}: action '{value}' needs a target ({{{value}: ...}})", line)
        raise r.fail(
            f"{what}: unknown action '{value}'"
            f"{_close(value, set(_SIMPLE_ACTIONS) | set(_TARGET_ACTIONS))}",
            line,
        )
    if isinstance(value, LineDict) and len(value) == 1:
        (key, target), = value.items()
        line = value.line_of(key)
        if key not in _TARGET_ACTIONS:
            raise r.fail(
                f"{what}: unknown action '{key}'"
                f"{_close(str(key), set(_TARGET_ACTIONS) | set(_SIMPLE_ACTIONS))}",
                line,
            )
        kind = _TARGET_ACTIONS[key]
        if kind is ActionKind.UNINSTALL:
            return Action(kind, None if target is True else str(target))
        if not isinstance(target, str) or not target:
            raise r.fail(f"{what}: '{key}' needs a screen id or package name", line)
        return Action(kind, target)
    raise r.fail(f"{what}: an action is a word (back, close, toggle, crash) or "
                 "{go|open_app|pay|delete_account: target}", line)


class _AppParser:
    def __init__(self, path: str) -> None:
        self.r = _Reader(path)
        self.refs: list[tuple[str, int | None, str]] = []  # (screen id, line, what)
        self.dialog_refs: list[tuple[str, int | None, str]] = []
        self.next_refs: list[tuple[str, int | None, str]] = []  # (screen id, line, what)
        self.screen_id = ""

    def widget(self, value: Any, key: str, what: str, line: int | None,
               nested: bool = False) -> Widget:
        r = self.r
        m = r.mapping(value, f"{what}: a widget", line)
        if "type" not in m:
            raise r.fail(f"{what}: widget without 'type'", m.line)
        type_name = str(m["type"])
        if type_name not in _USER_TYPES:
            raise r.fail(
                f"{what}: unknown widget type '{type_name}'{_close(type_name, set(_USER_TYPES))}",
                m.line_of("type"),
            )
        wtype = _USER_TYPES[type_name]
        what = f"{what}: {type_name}"
        r.check_keys(m, _COMMON | WIDGET_KEYS[wtype], what)
        tap = None
        if "tap" in m:
            tap = parse_action(m["tap"], r, what, m.line_of("tap"))
            self._note_ref(tap, m.line_of("tap"), what)
        wid = r.str_(m, "id", what)
        if wid is not None and not _ID_RE.match(wid):
            raise r.fail(f"{what}: id '{wid}' must be letters, digits, _ . -", m.line_of("id"))
        kwargs: dict[str, Any] = dict(
            type=wtype, key=key, line=m.line, id=wid, tap=tap,
            margin=r.edges(m, "margin", what), padding=r.edges(m, "padding", what),
            visible=r.bool_(m, "visible", what, True), enabled=r.bool_(m, "enabled", what, True),
            text=r.str_(m, "text", what, "") or "",
            size=r.num(m, "size", what, None, 1.0), color=r.color(m, "color", what, None),
            text_color=r.color(m, "text_color", what, None), bold=r.bool_(m, "bold", what, False)
            if "bold" in m else None,
            background=r.color(m, "background", what, None),
            height=r.num(m, "height", what, None), radius=r.num(m, "radius", what, None),
            desc=r.str_(m, "desc", what, "") or "", gradient=r.bool_(m, "gradient", what, False),
            checked=r.bool_(m, "checked", what, False), sticky=r.bool_(m, "sticky", what, False),
            subtitle=r.str_(m, "subtitle", what, "") or "",
            value=r.str_(m, "value", what, "") or "",
            chevron=r.bool_(m, "chevron", what, True), hint=r.str_(m, "hint", what, "") or "",
            password=r.bool_(m, "password", what, False),
            code=r.bool_(m, "code", what, False),
            template=r.str_(m, "template", what, "Item {i}") or "Item {i}",
        )
        if "align" in m:
            try:
                kwargs["align"] = Align(str(m["align"]))
            except ValueError:
                raise r.fail(f"{what}: align must be left, center or right",
                             m.line_of("align")) from None
        if "style" in m:
            try:
                kwargs["style"] = ButtonStyle(str(m["style"]))
            except ValueError:
                raise r.fail(f"{what}: style must be filled, outlined or text",
                             m.line_of("style")) from None
        if "width" in m:
            w = m["width"]
            if w in ("full", "wrap"):
                kwargs["width"] = w
            elif isinstance(w, (int, float)) and not isinstance(w, bool) and w > 0:
                kwargs["width"] = float(w)
            else:
                raise r.fail(f"{what}: width must be full, wrap or a number of dp",
                             m.line_of("width"))
        if "icon" in m:
            icon = str(m["icon"])
            if icon not in ICON_NAMES:
                raise r.fail(f"{what}: unknown icon '{icon}'{_close(icon, ICON_NAMES)} "
                             f"(known: {', '.join(sorted(ICON_NAMES))})", m.line_of("icon"))
            kwargs["icon"] = icon
        if "count" in m:
            kwargs["count"] = int(r.num(m, "count", what, 0) or 0)
        elif wtype is WidgetType.LIST:
            raise r.fail(f"{what}: missing required key 'count'", m.line)
        for list_key in ("options", "lines"):
            if list_key in m:
                items = m[list_key]
                if not isinstance(items, list) or not all(
                    isinstance(i, (str, int, float)) for i in items
                ):
                    raise r.fail(f"{what}: '{list_key}' must be a list of texts",
                                 m.line_of(list_key))
                kwargs[list_key] = tuple(str(i) for i in items)
        if wtype is WidgetType.RADIO:
            if not kwargs.get("options"):
                raise r.fail(f"{what}: a radio group needs 'options'", m.line)
            sel = int(r.num(m, "selected", what, 0, -1) or 0)
            if sel >= len(kwargs["options"]):
                raise r.fail(f"{what}: selected {sel} but only {len(kwargs['options'])} options",
                             m.line_of("selected"))
            kwargs["selected"] = sel
        if wtype is WidgetType.ROW_GROUP:
            if nested:
                raise r.fail(f"{what}: row_group cannot be nested", m.line)
            items = m.get("items")
            if not isinstance(items, LineList) or not items:
                raise r.fail(f"{what}: 'items' must be a non-empty list of widgets",
                             m.line_of("items"))
            kwargs["items"] = tuple(
                self._nested(item, f"{key}.{i}", what, items.line_of(i))
                for i, item in enumerate(items)
            )
        return Widget(**kwargs)

    def _nested(self, item: Any, key: str, what: str, line: int | None) -> Widget:
        w = self.widget(item, key, what, line, nested=True)
        if w.type in (WidgetType.LIST, WidgetType.WEBVIEW):
            raise self.r.fail(f"{what}: a {w.type.value} cannot sit inside a row_group", line)
        return w

    def _note_ref(self, action: Action, line: int | None, what: str) -> None:
        if action.kind is ActionKind.NEXT:
            self.next_refs.append((self.screen_id, line, what))
        if action.kind in (ActionKind.GO, ActionKind.PAY, ActionKind.DELETE_ACCOUNT):
            assert action.target is not None
            self.refs.append((action.target, line, what))

    def screen(self, sid: str, value: Any, line: int | None) -> Screen:
        r = self.r
        what = f"screen '{sid}'"
        if not _ID_RE.match(sid):
            raise r.fail(f"{what}: screen ids must be letters, digits, _ . -", line)
        m = r.mapping(value, what, line)
        r.check_keys(m, _SCREEN_KEYS, what)
        self.screen_id = sid
        widgets_raw = m.get("widgets", LineList())
        if widgets_raw is None:
            widgets_raw = LineList()
        if not isinstance(widgets_raw, list):
            raise r.fail(f"{what}: 'widgets' must be a list", m.line_of("widgets"))
        widgets = tuple(
            self.widget(w, f"w{i}", what, widgets_raw.line_of(i))  # type: ignore[attr-defined]
            for i, w in enumerate(widgets_raw)
        )
        popup = None
        if "popup" in m:
            p = r.mapping(m["popup"], f"{what}: popup", m.line_of("popup"))
            r.check_keys(p, {"screen", "times"}, f"{what}: popup")
            target = r.str_(p, "screen", f"{what}: popup", required=True) or ""
            popup = Popup(target, int(r.num(p, "times", f"{what}: popup", 1) or 0))
            self.dialog_refs.append((target, p.line_of("screen"), f"{what}: popup"))
        tabs = None
        if "tabs" in m:
            tabs = self._tabs(m["tabs"], what, m.line_of("tabs"))
        activity = r.str_(m, "activity", what, ".MainActivity") or ".MainActivity"
        return Screen(
            id=sid, line=line, activity=activity,
            title=r.str_(m, "title", what, None), back_arrow=r.bool_(m, "back_arrow", what, False),
            dialog=r.bool_(m, "dialog", what, False),
            outside_closes=r.bool_(m, "outside_closes", what, False),
            secure=r.bool_(m, "secure", what, False), **self._crash(m, what),
            slow=r.num(m, "slow", what, 0.0) or 0.0, popup=popup, tabs=tabs,
            background=r.color(m, "background", what, None), widgets=widgets,
        )

    def _crash(self, m: LineDict, what: str) -> dict[str, Any]:
        """``crash: true | false | once | N`` (crash on the first N entries, then work)."""
        value = m.get("crash", False)
        if isinstance(value, bool):
            return {"crash": value}
        if value == "once":
            return {"crash_first": 1}
        if isinstance(value, int) and value >= 1:
            return {"crash_first": value}
        raise self.r.fail(f"{what}: 'crash' must be true, false, once or a number of first "
                          f"entries (got '{value}')", m.line_of("crash"))

    def launch(self, value: Any, line: int | None, screens: dict[str, Screen],
               start: str) -> tuple[LaunchStep, ...]:
        r = self.r
        if not isinstance(value, LineList):
            raise r.fail("app: 'launch' must be a list of launch steps", line)
        steps: list[LaunchStep] = []
        for i, raw in enumerate(value):
            what = f"app: launch step {i + 1}"
            at = value.line_of(i)
            if isinstance(raw, str):
                raw_m = LineDict(screen=raw)
                raw_m.line, raw_m.key_lines = at, {}
            else:
                raw_m = r.mapping(raw, f"{what} (a screen id or {{screen: ..., show: ...}})", at)
            r.check_keys(raw_m, _LAUNCH_KEYS, what)
            sid = r.str_(raw_m, "screen", what, required=True) or ""
            if sid not in screens:
                raise r.fail(f"{what}: no screen '{sid}'{_close(sid, set(screens))}",
                             raw_m.line_of("screen"))
            if sid == start:
                raise r.fail(f"{what}: '{sid}' is the start screen, which follows the launch "
                             "steps", raw_m.line_of("screen"))
            if any(s.screen == sid for s in steps):
                raise r.fail(f"{what}: '{sid}' is already a launch step", raw_m.line_of("screen"))
            show = r.choice(raw_m, "show", what, Show, "always")
            if "chance" in raw_m and show is not Show.RANDOM:
                raise r.fail(f"{what}: 'chance' only goes with show: random",
                             raw_m.line_of("chance"))
            chance = r.num(raw_m, "chance", what, 0.5) or 0.0
            if chance > 1:
                raise r.fail(f"{what}: 'chance' must be between 0 and 1", raw_m.line_of("chance"))
            dialog = screens[sid].dialog
            back = r.choice(raw_m, "back", what, LaunchBack, "next" if dialog else "exit")
            timeout = r.num(raw_m, "timeout", what, None, 0.25)
            steps.append(LaunchStep(sid, show, chance, timeout, back, at))
        return tuple(steps)

    def _tabs(self, value: Any, what: str, line: int | None) -> Tabs:
        r = self.r
        t = r.mapping(value, f"{what}: tabs", line)
        r.check_keys(t, {"items", "selected"}, f"{what}: tabs")
        items_raw = t.get("items")
        if not isinstance(items_raw, LineList) or not items_raw:
            raise r.fail(f"{what}: tabs need a non-empty 'items' list", t.line_of("items"))
        items = []
        for i, raw in enumerate(items_raw):
            it = r.mapping(raw, f"{what}: tab {i}", items_raw.line_of(i))
            r.check_keys(it, {"text", "icon", "go", "tap"}, f"{what}: tab {i}")
            icon = r.str_(it, "icon", f"{what}: tab", None)
            if icon is not None and icon not in ICON_NAMES:
                raise r.fail(f"{what}: tab {i}: unknown icon '{icon}'{_close(icon, ICON_NAMES)}",
                             it.line_of("icon"))
            tap = None
            if "go" in it:
                tap = Action(ActionKind.GO, str(it["go"]))
                self._note_ref(tap, it.line_of("go"), f"{what}: tab {i}")
            elif "tap" in it:
                tap = parse_action(it["tap"], r, f"{what}: tab {i}", it.line_of("tap"))
                self._note_ref(tap, it.line_of("tap"), f"{what}: tab {i}")
            items.append(TabItem(r.str_(it, "text", what, "") or "", icon, tap))
        sel = int(r.num(t, "selected", f"{what}: tabs", 0) or 0)
        if sel >= len(items):
            raise r.fail(f"{what}: tabs: selected {sel} but only {len(items)} items",
                         t.line_of("selected"))
        return Tabs(tuple(items), sel)

    def app(self, doc: Any) -> App:
        r = self.r
        top = r.mapping(doc, "the file", 1)
        r.check_keys(top, {"app", "design", "screens"}, "top level")
        if "app" not in top:
            raise r.fail("missing the 'app:' section", top.line)
        a = r.mapping(top["app"], "app", top.line_of("app"))
        r.check_keys(a, _APP_KEYS, "app")
        package = r.str_(a, "package", "app", required=True) or ""
        if not _PACKAGE_RE.match(package):
            raise r.fail(f"app: package '{package}' is not a Java package name (com.example.x)",
                         a.line_of("package"))
        label = r.str_(a, "label", "app", package) or ""
        icon = Icon()
        if "icon" in a:
            im = r.mapping(a["icon"], "app: icon", a.line_of("icon"))
            r.check_keys(im, {"color", "glyph", "transparent", "symbol"}, "app: icon")
            symbol = r.str_(im, "symbol", "app: icon", None)
            if symbol is not None and symbol not in ICON_NAMES:
                raise r.fail(f"app: icon: unknown symbol '{symbol}'{_close(symbol, ICON_NAMES)}",
                             im.line_of("symbol"))
            icon = Icon(r.color(im, "color", "app: icon", icon.color) or icon.color,
                        r.str_(im, "glyph", "app: icon", label[:1]) or "",
                        r.bool_(im, "transparent", "app: icon", False), symbol)
        else:
            icon = Icon(glyph=label[:1])
        lang = r.str_(a, "lang", "app", "zh-Hans") or ""
        if lang not in LANGS:
            raise r.fail(f"app: lang must be one of {', '.join(LANGS)}", a.line_of("lang"))
        size = ScreenSize()
        if "screen" in a:
            sm = r.mapping(a["screen"], "app: screen", a.line_of("screen"))
            r.check_keys(sm, {"width", "height", "density"}, "app: screen")
            size = ScreenSize(int(r.num(sm, "width", "app: screen", 720, 240) or 720),
                              int(r.num(sm, "height", "app: screen", 1280, 320) or 1280),
                              r.num(sm, "density", "app: screen", 2.0, 0.5) or 2.0)
        theme = Theme()
        if "theme" in a:
            tm = r.mapping(a["theme"], "app: theme", a.line_of("theme"))
            r.check_keys(tm, _THEME_KEYS, "app: theme")
            theme = Theme(**{k: r.color(tm, k, "app: theme", getattr(theme, k))
                             for k in _THEME_KEYS})
        uninstall_disabled = False
        if "uninstall" in a:
            um = r.mapping(a["uninstall"], "app: uninstall", a.line_of("uninstall"))
            r.check_keys(um, {"disabled"}, "app: uninstall")
            uninstall_disabled = r.bool_(um, "disabled", "app: uninstall", False)
        if "screens" not in top:
            raise r.fail("missing the 'screens:' section", top.line)
        sm = r.mapping(top["screens"], "screens", top.line_of("screens"))
        if not sm:
            raise r.fail("'screens:' is empty", top.line_of("screens"))
        screens = {str(sid): self.screen(str(sid), v, sm.line_of(sid)) for sid, v in sm.items()}
        start = r.str_(a, "start", "app", next(iter(screens))) or ""
        if start not in screens:
            raise r.fail(f"app: start screen '{start}' does not exist{_close(start, set(screens))}",
                         a.line_of("start"))
        if screens[start].dialog:
            raise r.fail(f"app: start screen '{start}' is a dialog", a.line_of("start"))
        launch: tuple[LaunchStep, ...] = ()
        if "launch" in a:
            launch = self.launch(a["launch"], a.line_of("launch"), screens, start)
        in_launch = {s.screen for s in launch}
        for sid, line, what in self.next_refs:
            if sid not in in_launch:
                raise r.fail(f"{what}: 'next' only works on a launch step, and '{sid}' is not "
                             "in app: launch", line)
        for target, line, what in self.refs + self.dialog_refs:
            if target not in screens:
                raise r.fail(f"{what}: no screen '{target}'{_close(target, set(screens))}", line)
        for target, line, what in self.dialog_refs:
            if not screens[target].dialog:
                raise r.fail(f"{what}: popup screen '{target}' must have dialog: true", line)
        return App(
            package=package, label=label, screens=screens, start=start, path=r.path, icon=icon,
            lang=lang, screen_size=size, theme=theme, uninstall_disabled=uninstall_disabled,
            launch=launch, design=plain(top.get("design")),
        )


def parse_app(text: str, path: str = "<memory>") -> App:
    """Parse app-file text (``path`` only names it in errors)."""
    return _AppParser(path).app(load_yaml(text, path))


def load_app(path: str | Path) -> App:
    """Load and validate one app file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AppFileError(str(p), "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise AppFileError(str(p), f"cannot read: {exc}") from None
    return parse_app(text, str(p))
