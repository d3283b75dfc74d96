"""Place a screen's widgets in pixels. The renderer and the XML both read this one layout, so
hierarchy bounds always match what is drawn."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from darkscan.device.virtual.model import (
    Action,
    ActionKind,
    Align,
    App,
    Color,
    Edges,
    Screen,
    ScreenSize,
    Widget,
    WidgetType,
)
from darkscan.device.virtual.textwrap import ellipsize, line_height, text_width, wrap
from darkscan.geometry import Box

STATUS_DP, APPBAR_DP, TABBAR_DP, NAVBAR_DP = 24, 56, 56, 48
ROW_DP, ROW_SUB_DP, TOGGLE_ROW_DP = 56, 72, 48
GRID_COLS, GRID_CELL_DP = 4, 100


class Role(Enum):
    TEXT = "text"
    BUTTON = "button"
    IMAGE = "image"
    CHECKBOX = "checkbox"
    RADIO_GROUP = "radio_group"
    RADIO = "radio"
    SWITCH = "switch"
    ROW = "row"
    WEBVIEW = "webview"
    INPUT = "input"
    DIVIDER = "divider"
    SPACER = "spacer"
    GROUP = "group"
    APP_ICON = "app_icon"
    DIALOG_TITLE = "dialog_title"


@dataclass(frozen=True)
class ScreenState:
    """What changes on a screen: toggle/radio/input values by widget key, scroll, focus."""

    values: tuple[tuple[str, Any], ...] = ()
    scroll: int = 0
    focused: str | None = None

    def get(self, key: str, default: Any) -> Any:
        for k, v in self.values:
            if k == key:
                return v
        return default


@dataclass(frozen=True)
class Element:
    role: Role
    box: Box  # where it is drawn (may extend outside the viewport)
    visible: Box  # box clipped to its window's viewport: XML bounds and tap target
    key: str
    widget: Widget | None = None
    text: str = ""
    lines: tuple[str, ...] = ()
    font_px: int = 0
    bold: bool = False
    subtitle: str = ""
    desc: str = ""
    checked: bool = False
    enabled: bool = True
    focused: bool = False
    clickable: bool = False
    action: Action | None = None
    icon: str | None = None
    extra: Any = None  # role-specific (the launcher entry of an APP_ICON)
    children: tuple[Element, ...] = ()


@dataclass(frozen=True)
class TabLayout:
    box: Box
    text: str
    icon: str | None
    selected: bool
    action: Action | None


@dataclass(frozen=True)
class ScreenLayout:
    screen: Screen
    size: ScreenSize
    background: Color
    status_bar: Box
    nav_bar: Box
    app_bar: Box | None
    nav_up: Box | None  # the app bar's back arrow
    title_lines: tuple[str, ...]
    viewport: Box  # the scrolling content area (the dialog's inside for dialogs)
    content_height: int
    scroll: int
    max_scroll: int
    elements: tuple[Element, ...]
    tab_bar: Box | None = None
    tabs: tuple[TabLayout, ...] = ()
    dialog: Box | None = None  # the card, for dialog screens
    window: Box = field(default=Box(0, 0, 0, 0))  # the app window (or dialog card)


class _Ctx:
    def __init__(self, app: App, size: ScreenSize, state: ScreenState) -> None:
        self.app, self.size, self.state = app, size, state
        self.theme = app.theme

    def dp(self, v: float) -> int:
        return int(round(v * self.size.density))


_DEFAULT_MARGIN: dict[WidgetType, Edges] = {
    WidgetType.TEXT: Edges(8, 16, 8, 16),
    WidgetType.BUTTON: Edges(8, 16, 8, 16),
    WidgetType.IMAGE: Edges(8, 16, 8, 16),
    WidgetType.INPUT: Edges(8, 16, 8, 16),
    WidgetType.ROW_GROUP: Edges(8, 12, 8, 12),
}
_NESTED_MARGIN = Edges(0, 4, 0, 4)
_TEXT_SP = {WidgetType.TEXT: 14, WidgetType.BUTTON: 16, WidgetType.IMAGE: 22,
            WidgetType.CHECKBOX: 14, WidgetType.RADIO: 15, WidgetType.SWITCH: 16,
            WidgetType.ROW: 16, WidgetType.LIST: 16, WidgetType.INPUT: 16,
            WidgetType.WEBVIEW: 14}


def text_px(c: _Ctx, w: Widget) -> int:
    return c.dp(w.size if w.size is not None else _TEXT_SP.get(w.type, 14))


def is_bold(w: Widget) -> bool:
    if w.bold is not None:
        return w.bold
    return w.type in (WidgetType.BUTTON, WidgetType.IMAGE)


def _margin(w: Widget, nested: bool) -> Edges:
    if w.margin is not None:
        return w.margin
    return _NESTED_MARGIN if nested else _DEFAULT_MARGIN.get(w.type, Edges())


def _pad(w: Widget) -> Edges:
    return w.padding if w.padding is not None else Edges()


def _toggle_label_width(c: _Ctx, w: Widget, width: int) -> int:
    if w.type is WidgetType.SWITCH:
        return max(c.dp(40), width - c.dp(16 + 16 + 52 + 16))
    return max(c.dp(40), width - c.dp(16 + 20 + 16 + 16))  # checkbox / radio


def _text_lines(c: _Ctx, w: Widget, text: str, width: int) -> tuple[str, ...]:
    return wrap(text, text_px(c, w), is_bold(w), max(1, width))


def _inner_height(c: _Ctx, w: Widget, width: int) -> int:
    """Height in px of the widget's box (margins excluded) at ``width`` px (margins excluded)."""
    t = w.type
    pad = _pad(w)
    if t is WidgetType.TEXT:
        inner_w = width - c.dp(pad.left + pad.right)
        n = len(_text_lines(c, w, w.text, inner_w))
        return n * line_height(text_px(c, w)) + c.dp(pad.top + pad.bottom)
    if t is WidgetType.BUTTON:
        return c.dp(w.height or 44)
    if t is WidgetType.IMAGE:
        return c.dp(w.height or 160)
    if t in (WidgetType.CHECKBOX, WidgetType.SWITCH):
        lines = _text_lines(c, w, w.text, _toggle_label_width(c, w, width))
        h = len(lines) * line_height(text_px(c, w))
        if w.subtitle:
            h += len(wrap(w.subtitle, c.dp(13), False, _toggle_label_width(c, w, width))) * \
                line_height(c.dp(13))
        base = TOGGLE_ROW_DP if t is WidgetType.CHECKBOX else ROW_DP
        return max(c.dp(base), h + c.dp(24))
    if t is WidgetType.RADIO:
        return sum(_radio_option_height(c, w, o, width) for o in w.options)
    if t is WidgetType.ROW:
        return c.dp(w.height or (ROW_SUB_DP if w.subtitle else ROW_DP))
    if t is WidgetType.LIST:
        return w.count * c.dp(ROW_SUB_DP if w.subtitle else ROW_DP)
    if t is WidgetType.ROW_GROUP:
        return max(_outer(c, item, _col_width(c, w, width), True)[1] for item in w.items if
                   item.visible) if any(i.visible for i in w.items) else 0
    if t is WidgetType.WEBVIEW:
        return c.dp(w.height or 320)
    if t is WidgetType.INPUT:
        return c.dp(w.height or 56)
    if t is WidgetType.DIVIDER:
        return max(1, c.dp(w.height)) if w.height else 1
    if t is WidgetType.SPACER:
        return c.dp(16 if w.height is None else w.height)
    if t is WidgetType.APP_GRID:
        rows = (len(w.apps) + GRID_COLS - 1) // GRID_COLS
        return rows * c.dp(GRID_CELL_DP) + c.dp(16)
    raise AssertionError(t)


def _radio_option_height(c: _Ctx, w: Widget, option: str, width: int) -> int:
    n = len(_text_lines(c, w, option, _toggle_label_width(c, w, width)))
    return max(c.dp(TOGGLE_ROW_DP), n * line_height(text_px(c, w)) + c.dp(16))


def _col_width(c: _Ctx, group: Widget, width: int) -> int:
    n = sum(1 for i in group.items if i.visible)
    return width // max(1, n)


def _outer(c: _Ctx, w: Widget, width: int, nested: bool = False) -> tuple[int, int]:
    """(inner width, outer height) in px for a widget given the available width."""
    m = _margin(w, nested)
    inner_w = width - c.dp(m.left + m.right)
    return inner_w, _inner_height(c, w, inner_w) + c.dp(m.top + m.bottom)


def _action(w: Widget) -> Action | None:
    if w.tap is not None:
        return w.tap
    if w.type in (WidgetType.CHECKBOX, WidgetType.SWITCH, WidgetType.RADIO):
        return Action(ActionKind.TOGGLE)
    return None


class _Builder:
    def __init__(self, c: _Ctx, viewport: Box) -> None:
        self.c, self.viewport = c, viewport

    def el(self, role: Role, box: Box, key: str, w: Widget | None, **kw: Any) -> Element:
        return Element(role, box, box.intersection(self.viewport), key, w, **kw)

    def widget(self, w: Widget, x: int, y: int, width: int, nested: bool = False) -> list[Element]:
        """Elements of ``w`` placed with its margin box at (x, y), ``width`` px wide."""
        c = self.c
        m = _margin(w, nested)
        bx, by = x + c.dp(m.left), y + c.dp(m.top)
        bw = width - c.dp(m.left + m.right)
        bh = _inner_height(c, w, bw)
        box = Box(bx, by, bx + bw, by + bh)
        t, enabled = w.type, w.enabled
        px, bold = text_px(c, w), is_bold(w)
        common: dict[str, Any] = dict(enabled=enabled, font_px=px, bold=bold)
        if t is WidgetType.TEXT:
            pad = _pad(w)
            lines = _text_lines(c, w, w.text, bw - c.dp(pad.left + pad.right))
            return [self.el(Role.TEXT, box, w.key, w, text=w.text, lines=lines,
                            clickable=w.tap is not None, action=w.tap, **common)]
        if t is WidgetType.BUTTON:
            if w.width == "wrap" or isinstance(w.width, float):
                want = (c.dp(w.width) if isinstance(w.width, float)
                        else text_width(w.text, px, bold) + c.dp(48))
                want = min(bw, want)
                align = w.align or Align.CENTER
                off = {Align.LEFT: 0, Align.CENTER: (bw - want) // 2, Align.RIGHT: bw - want}[align]
                box = Box(bx + off, by, bx + off + want, by + bh)
            label = ellipsize(w.text, px, bold, box.width - c.dp(16))
            return [self.el(Role.BUTTON, box, w.key, w, text=w.text, lines=(label,),
                            clickable=True, action=w.tap, **common)]
        if t is WidgetType.IMAGE:
            lines = _text_lines(c, w, w.text, bw - c.dp(32)) if w.text else ()
            return [self.el(Role.IMAGE, box, w.key, w, lines=lines, desc=w.desc,
                            clickable=w.tap is not None, action=w.tap, **common)]
        if t in (WidgetType.CHECKBOX, WidgetType.SWITCH):
            checked = bool(self.c.state.get(w.key, w.checked))
            lines = _text_lines(c, w, w.text, _toggle_label_width(c, w, bw))
            role = Role.CHECKBOX if t is WidgetType.CHECKBOX else Role.SWITCH
            return [self.el(role, box, w.key, w, text=w.text, lines=lines, subtitle=w.subtitle,
                            checked=checked, clickable=True, action=_action(w), **common)]
        if t is WidgetType.RADIO:
            sel = int(self.c.state.get(w.key, w.selected))
            kids, oy = [], by
            for i, opt in enumerate(w.options):
                oh = _radio_option_height(c, w, opt, bw)
                ob = Box(bx, oy, bx + bw, oy + oh)
                kids.append(self.el(Role.RADIO, ob, f"{w.key}#{i}", w, text=opt,
                                    lines=_text_lines(c, w, opt, _toggle_label_width(c, w, bw)),
                                    checked=(i == sel), clickable=True, action=_action(w),
                                    **common))
                oy += oh
            return [self.el(Role.RADIO_GROUP, box, w.key, w, children=tuple(kids), **common)]
        if t is WidgetType.ROW:
            return [self._row(w, box, w.key, w.text, w.subtitle, w.tap, common)]
        if t is WidgetType.LIST:
            rh = c.dp(ROW_SUB_DP if w.subtitle else ROW_DP)
            first = max(0, (self.viewport.y1 - by) // rh)
            last = min(w.count, (self.viewport.y2 - by) // rh + 1)
            rows = []
            for i in range(first, last):
                rb = Box(bx, by + i * rh, bx + bw, by + (i + 1) * rh)
                text = w.template.replace("{i}", str(i + 1))
                sub = w.subtitle.replace("{i}", str(i + 1))
                rows.append(self._row(w, rb, f"{w.key}#{i}", text, sub, w.tap, common))
            return rows
        if t is WidgetType.ROW_GROUP:
            items = [i for i in w.items if i.visible]
            cw = _col_width(c, w, bw)
            kids: list[Element] = []
            for n, item in enumerate(items):
                kids += self.widget(item, bx + n * cw, by, cw if n < len(items) - 1
                                    else bw - n * cw, nested=True)
            return [self.el(Role.GROUP, box, w.key, w, children=tuple(kids), **common)]
        if t is WidgetType.WEBVIEW:
            wpx = c.dp(w.size or 14)
            lines: list[str] = []
            for para in (w.lines or ((w.text,) if w.text else ())):
                lines += wrap(para, wpx, False, bw - c.dp(32))
            return [self.el(Role.WEBVIEW, box, w.key, w, lines=tuple(lines), font_px=wpx)]
        if t is WidgetType.INPUT:
            value = str(self.c.state.get(w.key, w.text))
            focused = self.c.state.focused == w.key
            return [self.el(Role.INPUT, box, w.key, w, text=value, focused=focused,
                            clickable=True, action=w.tap, **common)]
        if t is WidgetType.DIVIDER:
            return [self.el(Role.DIVIDER, box, w.key, w)]
        if t is WidgetType.SPACER:
            return []
        if t is WidgetType.APP_GRID:
            return self._grid(w, box)
        raise AssertionError(t)

    def _row(self, w: Widget, box: Box, key: str, text: str, sub: str, tap: Action | None,
             common: dict[str, Any]) -> Element:
        c = self.c
        left = c.dp(72 if w.icon else 16)
        right = c.dp(40 if w.chevron else 16)
        avail = box.width - left - right
        value_w = 0
        if w.value:
            value_w = text_width(w.value, c.dp(14), False) + c.dp(8)
        title = ellipsize(text, common["font_px"], common["bold"], max(1, avail - value_w))
        subtitle = ellipsize(sub, c.dp(13), False, max(1, avail)) if sub else ""
        return self.el(Role.ROW, box, key, w, text=text, lines=(title,), subtitle=subtitle,
                       clickable=tap is not None, action=tap, icon=w.icon, **common)

    def _grid(self, w: Widget, box: Box) -> list[Element]:
        c = self.c
        cw = box.width // GRID_COLS
        out = []
        for i, entry in enumerate(w.apps):
            col, row = i % GRID_COLS, i // GRID_COLS
            x, y = box.x1 + col * cw, box.y1 + c.dp(8) + row * c.dp(GRID_CELL_DP)
            cell = Box(x, y, x + cw, y + c.dp(GRID_CELL_DP - 8))
            label = ellipsize(entry.label, c.dp(12), False, cw - c.dp(8))
            out.append(self.el(Role.APP_ICON, cell, f"{w.key}#{i}", w, text=entry.label,
                               lines=(label,), font_px=c.dp(12), clickable=True,
                               action=Action(ActionKind.OPEN_APP, entry.package), extra=entry))
        return out


def _column(b: _Builder, widgets: tuple[Widget, ...], x: int, top: int, width: int,
            scroll: int) -> tuple[list[Element], int]:
    """Lay widgets top to bottom from content y=0; return elements and content height."""
    c, out, y = b.c, [], 0
    for w in widgets:
        if not w.visible:
            continue
        _, h = _outer(c, w, width)
        sy = top + y - scroll
        if sy < b.viewport.y2 and sy + h > b.viewport.y1:
            out += b.widget(w, x, sy, width)
        y += h
    return out, y


def layout_screen(app: App, screen: Screen, state: ScreenState, size: ScreenSize) -> ScreenLayout:
    """Positions of everything on ``screen`` (a dialog screen lays out only its card)."""
    c = _Ctx(app, size, state)
    W, H = size.width, size.height
    status = Box(0, 0, W, c.dp(STATUS_DP))
    nav = Box(0, H - c.dp(NAVBAR_DP), W, H)
    bg = screen.background or app.theme.background
    if screen.dialog:
        return _layout_dialog(c, screen, state, status, nav, bg)
    top = status.y2
    app_bar = nav_up = None
    title_lines: tuple[str, ...] = ()
    if screen.title is not None:
        app_bar = Box(0, top, W, top + c.dp(APPBAR_DP))
        if screen.back_arrow:
            nav_up = Box(c.dp(4), top + c.dp(4), c.dp(52), top + c.dp(52))
        tx = c.dp(72 if screen.back_arrow else 16)
        title_lines = (ellipsize(screen.title, c.dp(20), True, W - tx - c.dp(16)),)
        top = app_bar.y2
    bottom = nav.y1
    tab_bar = None
    tabs: tuple[TabLayout, ...] = ()
    if screen.tabs is not None:
        tab_bar = Box(0, bottom - c.dp(TABBAR_DP), W, bottom)
        n = len(screen.tabs.items)
        tabs = tuple(
            TabLayout(Box(W * i // n, tab_bar.y1, W * (i + 1) // n, tab_bar.y2), it.text, it.icon,
                      i == screen.tabs.selected, it.tap)
            for i, it in enumerate(screen.tabs.items)
        )
        bottom = tab_bar.y1
    viewport = Box(0, top, W, bottom)
    # First pass measures the content, second places it at the clamped scroll.
    content_h = sum(_outer(c, w, W)[1] for w in screen.widgets if w.visible)
    max_scroll = max(0, content_h - viewport.height)
    scroll = min(max(0, state.scroll), max_scroll)
    elements, _ = _column(_Builder(c, viewport), screen.widgets, 0, top, W, scroll)
    return ScreenLayout(screen, size, bg, status, nav, app_bar, nav_up, title_lines, viewport,
                        content_h, scroll, max_scroll, tuple(elements), tab_bar, tabs,
                        window=Box(0, 0, W, H))


def _layout_dialog(c: _Ctx, screen: Screen, state: ScreenState, status: Box, nav: Box,
                   bg: Color) -> ScreenLayout:
    W = c.size.width
    card_w = min(W - c.dp(48), c.dp(320))
    inset = c.dp(8)
    inner_w = card_w - 2 * inset
    title_h = 0
    title_lines: tuple[str, ...] = ()
    if screen.title:
        title_lines = wrap(screen.title, c.dp(20), True, card_w - c.dp(48))
        title_h = c.dp(24) + len(title_lines) * line_height(c.dp(20)) + c.dp(8)
    content_h = sum(_outer(c, w, inner_w)[1] for w in screen.widgets if w.visible)
    avail_h = nav.y1 - status.y2 - c.dp(48)
    card_h = min(avail_h, title_h + content_h + c.dp(16))
    x1 = (W - card_w) // 2
    y1 = status.y2 + (nav.y1 - status.y2 - card_h) // 2
    card = Box(x1, y1, x1 + card_w, y1 + card_h)
    viewport = Box(x1, y1 + title_h, x1 + card_w, card.y2 - c.dp(8))
    max_scroll = max(0, content_h - viewport.height)
    scroll = min(max(0, state.scroll), max_scroll)
    b = _Builder(c, viewport)
    elements, _ = _column(b, screen.widgets, x1 + inset, viewport.y1, inner_w, scroll)
    if title_lines:
        tb = Box(x1 + c.dp(24), y1 + c.dp(24), card.x2 - c.dp(24),
                 y1 + c.dp(24) + len(title_lines) * line_height(c.dp(20)))
        elements.insert(0, Element(Role.DIALOG_TITLE, tb, tb, "title", None, text=screen.title or "",
                                   lines=title_lines, font_px=c.dp(20), bold=True))
    return ScreenLayout(screen, c.size, bg, status, nav, None, None, title_lines, viewport,
                        content_h, scroll, max_scroll, tuple(elements), dialog=card, window=card)


def walk(elements: tuple[Element, ...]) -> list[Element]:
    """Every element, depth first."""
    out: list[Element] = []
    for e in elements:
        out.append(e)
        out += walk(e.children)
    return out


def nav_buttons(nav: Box, density: float) -> dict[str, Box]:
    """The navigation bar's back / home / recents touch targets."""
    half = int(round(32 * density))
    out = {}
    for name, frac in (("back", 0.22), ("home", 0.5), ("recents", 0.78)):
        cx = int(nav.x1 + nav.width * frac)
        out[name] = Box(cx - half, nav.y1, cx + half, nav.y2)
    return out
