"""uiautomator2 ``dump_hierarchy()`` XML for a laid-out screen, including the SystemUI windows."""

from __future__ import annotations

from dataclasses import dataclass, field

from darkscan.device.virtual.layout import Element, Role, ScreenLayout, nav_buttons
from darkscan.device.virtual.model import WidgetType
from darkscan.device.virtual.parts import parts
from darkscan.device.virtual.textwrap import line_height, text_width
from darkscan.geometry import Box

SYSTEMUI = "com.android.systemui"
HEADER = "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>"

_SYS_TEXT = {
    "zh-Hans": {"up": "转到上一层级", "back": "返回", "home": "主屏幕", "recents": "概览",
                "wifi": "WLAN 信号满格。", "signal": "手机信号满格。", "battery": "电池电量为 85%。"},
    "zh-Hant": {"up": "瀏覽上一頁", "back": "返回", "home": "主畫面", "recents": "總覽",
                "wifi": "Wi-Fi 訊號滿格。", "signal": "手機訊號滿格。", "battery": "電池電量 85%。"},
    "en": {"up": "Navigate up", "back": "Back", "home": "Home", "recents": "Overview",
           "wifi": "Wifi signal full.", "signal": "Phone signal full.",
           "battery": "Battery 85 percent."},
}


@dataclass
class Node:
    cls: str
    bounds: Box
    package: str
    text: str = ""
    rid: str = ""
    desc: str = ""
    checkable: bool = False
    checked: bool = False
    clickable: bool = False
    enabled: bool = True
    focusable: bool = False
    focused: bool = False
    scrollable: bool = False
    long_clickable: bool = False
    password: bool = False
    selected: bool = False
    hint: str = ""
    children: list[Node] = field(default_factory=list)

    def add(self, *nodes: Node) -> Node:
        self.children += [n for n in nodes if not n.bounds.empty]
        return self


def _esc(s: str) -> str:
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;"))


def _b(v: bool) -> str:
    return "true" if v else "false"


def _serialize(node: Node, index: int, order: int, depth: int, out: list[str]) -> None:
    b = node.bounds
    pad = "  " * depth
    attrs = (
        f'index="{index}" text="{_esc(node.text)}" resource-id="{_esc(node.rid)}" '
        f'class="{node.cls}" package="{node.package}" content-desc="{_esc(node.desc)}" '
        f'checkable="{_b(node.checkable)}" checked="{_b(node.checked)}" '
        f'clickable="{_b(node.clickable)}" enabled="{_b(node.enabled)}" '
        f'focusable="{_b(node.focusable)}" focused="{_b(node.focused)}" '
        f'scrollable="{_b(node.scrollable)}" long-clickable="{_b(node.long_clickable)}" '
        f'password="{_b(node.password)}" selected="{_b(node.selected)}" '
        f'visible-to-user="true" bounds="[{b.x1},{b.y1}][{b.x2},{b.y2}]" '
        f'drawing-order="{order}" hint="{_esc(node.hint)}" display-id="0"'
    )
    if not node.children:
        out.append(f"{pad}<node {attrs} />")
        return
    out.append(f"{pad}<node {attrs}>")
    for i, child in enumerate(node.children):
        _serialize(child, i, i + 1, depth + 1, out)
    out.append(f"{pad}</node>")


def to_xml(roots: list[Node]) -> str:
    out = [HEADER, '<hierarchy rotation="0">']
    for root in roots:
        _serialize(root, 0, 0, 1, out)
    out.append("</hierarchy>")
    return "\n".join(out)


class _Gen:
    def __init__(self, package: str, density: float) -> None:
        self.pkg, self.density = package, density

    def rid(self, e: Element) -> str:
        w = e.widget
        return f"{self.pkg}:id/{w.id}" if w is not None and w.id else ""

    def node(self, e: Element, cls: str, **kw: object) -> Node:
        kw.setdefault("enabled", e.enabled)
        return Node(cls, e.visible, self.pkg, rid=self.rid(e), **kw)  # type: ignore[arg-type]

    def sub(self, box: Box | None, clip: Box, cls: str, rid: str = "", **kw: object) -> Node:
        b = box.intersection(clip) if box is not None else Box(0, 0, 0, 0)
        return Node(cls, b, self.pkg, rid=rid, **kw)  # type: ignore[arg-type]

    def element(self, e: Element) -> Node:
        r = e.role
        if r in (Role.TEXT, Role.DIALOG_TITLE):
            n = self.node(e, "android.widget.TextView", text=e.text, clickable=e.clickable,
                          focusable=e.clickable)
            if r is Role.DIALOG_TITLE:
                n.rid = "android:id/alertTitle"
            return n
        if r is Role.BUTTON:
            return self.node(e, "android.widget.Button", text=e.text, clickable=True,
                             focusable=True)
        if r is Role.IMAGE:
            return self.node(e, "android.widget.ImageView", desc=e.desc, clickable=e.clickable,
                             focusable=e.clickable)
        if r is Role.CHECKBOX:
            return self.node(e, "android.widget.CheckBox", text=e.text, checkable=True,
                             checked=e.checked, clickable=True, focusable=True)
        if r is Role.RADIO_GROUP:
            n = self.node(e, "android.widget.RadioGroup")
            return n.add(*(self.node(c, "android.widget.RadioButton", text=c.text,
                                     checkable=True, checked=c.checked, clickable=True,
                                     focusable=True) for c in e.children))
        if r is Role.SWITCH:
            p = parts(e, self.density)
            n = self.node(e, "android.widget.LinearLayout", clickable=True, focusable=True)
            return n.add(
                self.sub(p.label, e.visible, "android.widget.TextView", "android:id/title",
                         text=e.text, enabled=e.enabled),
                self.sub(p.sub, e.visible, "android.widget.TextView", "android:id/summary",
                         text=e.subtitle, enabled=e.enabled),
                self.sub(p.control, e.visible, "android.widget.Switch", "android:id/switch_widget",
                         checkable=True, checked=e.checked, enabled=e.enabled),
            )
        if r is Role.ROW:
            p = parts(e, self.density)
            n = self.node(e, "android.widget.LinearLayout", clickable=e.clickable,
                          focusable=e.clickable)
            if e.widget is not None and e.widget.type is WidgetType.LIST:
                n.rid = ""
            return n.add(
                self.sub(p.icon, e.visible, "android.widget.ImageView", "android:id/icon"),
                self.sub(p.label, e.visible, "android.widget.TextView", "android:id/title",
                         text=e.text, enabled=e.enabled),
                self.sub(p.sub, e.visible, "android.widget.TextView", "android:id/summary",
                         text=e.subtitle, enabled=e.enabled),
                self.sub(p.value, e.visible, "android.widget.TextView", "",
                         text=e.widget.value if e.widget else ""),
                self.sub(p.chevron, e.visible, "android.widget.ImageView", ""),
            )
        if r is Role.WEBVIEW:
            return self.node(e, "android.webkit.WebView", focusable=True, enabled=True)
        if r is Role.INPUT:
            w = e.widget
            assert w is not None
            shown = ("•" * len(e.text) if w.password else e.text) or w.hint
            return self.node(e, "android.widget.EditText", text=shown, hint=w.hint,
                             clickable=True, focusable=True, focused=e.focused,
                             password=w.password, long_clickable=True)
        if r is Role.DIVIDER:
            return self.node(e, "android.view.View")
        if r is Role.GROUP:
            return self.node(e, "android.widget.LinearLayout").add(
                *(self.element(c) for c in e.children))
        if r is Role.APP_ICON:
            return self.node(e, "android.widget.TextView", text=e.text, desc=e.text,
                             clickable=True, focusable=True, long_clickable=True)
        raise AssertionError(r)

    def elements(self, elements: tuple[Element, ...]) -> list[Node]:
        return [self.element(e) for e in elements if not e.visible.empty]


def app_window(lay: ScreenLayout, package: str, lang: str, launcher: bool = False) -> Node:
    """The activity window of a full screen."""
    g = _Gen(package, lay.size.density)
    W, H = lay.size.width, lay.size.height
    full = Box(0, 0, W, H)
    inner = Box(0, lay.status_bar.y2, W, lay.nav_bar.y1)
    content = Node("android.widget.FrameLayout", inner, package, rid="android:id/content")
    root_view = Node("android.widget.LinearLayout", inner, package, rid=f"{package}:id/root")
    content.add(root_view)
    if lay.app_bar is not None:
        bar = Node("androidx.appcompat.widget.Toolbar", lay.app_bar, package,
                   rid=f"{package}:id/toolbar")
        if lay.nav_up is not None:
            bar.add(Node("android.widget.ImageButton", lay.nav_up, package,
                         desc=_SYS_TEXT.get(lang, _SYS_TEXT["en"])["up"], clickable=True,
                         focusable=True))
        d = lay.size.density
        tx = int(round((72 if lay.nav_up is not None else 16) * d))
        size = int(round(20 * d))
        ty = lay.app_bar.y1 + (lay.app_bar.height - line_height(size)) // 2
        title = lay.title_lines[0] if lay.title_lines else ""
        bar.add(Node("android.widget.TextView",
                     Box(tx, ty, tx + text_width(title, size, True), ty + line_height(size)),
                     package, text=lay.screen.title or ""))
        root_view.add(bar)
    has_list = any(w.type is WidgetType.LIST for w in lay.screen.widgets)
    if launcher:
        scroll_cls, rid = "android.view.ViewGroup", "com.android.launcher3:id/workspace"
    elif has_list:
        scroll_cls, rid = "androidx.recyclerview.widget.RecyclerView", f"{package}:id/list"
    elif lay.max_scroll > 0:
        scroll_cls, rid = "android.widget.ScrollView", f"{package}:id/scroll"
    else:
        scroll_cls, rid = "android.widget.LinearLayout", f"{package}:id/container"
    body = Node(scroll_cls, lay.viewport, package, rid=rid, scrollable=lay.max_scroll > 0,
                focusable=lay.max_scroll > 0)
    body.add(*g.elements(lay.elements))
    root_view.add(body)
    if lay.tab_bar is not None:
        nav = Node("com.google.android.material.bottomnavigation.BottomNavigationView",
                   lay.tab_bar, package, rid=f"{package}:id/bottom_nav")
        menu = Node("android.view.ViewGroup", lay.tab_bar, package)
        for tab in lay.tabs:
            d = lay.size.density
            cx = tab.box.center[0]
            item = Node("android.widget.FrameLayout", tab.box, package, desc=tab.text,
                        clickable=True, focusable=True, selected=tab.selected)
            s = int(round(24 * d))
            icon_y = tab.box.y1 + int(round(7 * d))
            if tab.icon:
                item.add(Node("android.widget.ImageView", Box(cx - s // 2, icon_y, cx + s // 2,
                                                              icon_y + s), package,
                              rid=f"{package}:id/navigation_bar_item_icon_view"))
            size = int(round(12 * d))
            lw = text_width(tab.text, size)
            ly = tab.box.y1 + int(round(33 * d))
            item.add(Node("android.widget.TextView",
                          Box(cx - lw // 2, ly, cx - lw // 2 + lw, ly + line_height(size)),
                          package, text=tab.text, selected=tab.selected,
                          rid=f"{package}:id/navigation_bar_item_large_label_view"))
            menu.add(item)
        root_view.add(nav.add(menu))
    decor = Node("android.widget.LinearLayout", full, package).add(content)
    return Node("android.widget.FrameLayout", full, package).add(decor)


def dialog_window(lay: ScreenLayout, package: str) -> Node:
    """A dialog's own window root (listed after the activity's, like real dumps)."""
    assert lay.dialog is not None
    g = _Gen(package, lay.size.density)
    card = lay.dialog
    panel = Node("android.widget.LinearLayout", card, package, rid=f"{package}:id/parentPanel")
    titles = [e for e in lay.elements if e.role is Role.DIALOG_TITLE]
    others = tuple(e for e in lay.elements if e.role is not Role.DIALOG_TITLE)
    if titles:
        panel.add(g.element(titles[0]))
    scroll = Node("android.widget.ScrollView" if lay.max_scroll > 0 else
                  "android.widget.LinearLayout", lay.viewport, package,
                  rid=f"{package}:id/contentPanel", scrollable=lay.max_scroll > 0)
    panel.add(scroll.add(*g.elements(others)))
    content = Node("android.widget.FrameLayout", card, package, rid="android:id/content")
    return Node("android.widget.FrameLayout", card, package).add(content.add(panel))


def system_windows(lay: ScreenLayout, clock: str, lang: str) -> list[Node]:
    """The SystemUI status bar and navigation bar windows."""
    t = _SYS_TEXT.get(lang, _SYS_TEXT["en"])
    d = lay.size.density
    sb = lay.status_bar

    def dp(v: float) -> int:
        return int(round(v * d))

    size = dp(14)
    cy = sb.y1 + (sb.height - line_height(size)) // 2
    clock_box = Box(dp(16), cy, dp(16) + text_width(clock, size), cy + line_height(size))
    mid = sb.y1 + sb.height // 2
    icons = Node("android.widget.LinearLayout",
                 Box(sb.x2 - dp(82), sb.y1, sb.x2 - dp(8), sb.y2), SYSTEMUI,
                 rid=f"{SYSTEMUI}:id/system_icons")
    icons.add(
        Node("android.widget.ImageView", Box(sb.x2 - dp(80), mid - dp(7), sb.x2 - dp(62),
                                             mid + dp(8)), SYSTEMUI,
             rid=f"{SYSTEMUI}:id/wifi_signal", desc=t["wifi"]),
        Node("android.widget.ImageView", Box(sb.x2 - dp(44), mid - dp(7), sb.x2 - dp(30),
                                             mid + dp(7)), SYSTEMUI,
             rid=f"{SYSTEMUI}:id/mobile_signal", desc=t["signal"]),
        Node("android.widget.LinearLayout", Box(sb.x2 - dp(22), mid - dp(10), sb.x2 - dp(12),
                                                mid + dp(8)), SYSTEMUI,
             rid=f"{SYSTEMUI}:id/battery", desc=t["battery"]),
    )
    bar = Node("android.widget.FrameLayout", sb, SYSTEMUI, rid=f"{SYSTEMUI}:id/status_bar")
    bar.add(Node("android.widget.TextView", clock_box, SYSTEMUI, text=clock,
                 rid=f"{SYSTEMUI}:id/clock"), icons)
    status = Node("android.widget.FrameLayout", sb, SYSTEMUI).add(bar)
    nav = lay.nav_bar
    frame = Node("android.widget.FrameLayout", nav, SYSTEMUI,
                 rid=f"{SYSTEMUI}:id/navigation_bar_frame")
    btn = nav_buttons(nav, d)
    frame.add(*(Node("android.widget.ImageView", btn[k], SYSTEMUI, rid=f"{SYSTEMUI}:id/{rid}",
                     desc=t[k], clickable=True, focusable=True, long_clickable=k != "recents")
                for k, rid in (("back", "back"), ("home", "home"), ("recents", "recent_apps"))))
    navwin = Node("android.widget.FrameLayout", nav, SYSTEMUI).add(frame)
    return [status, navwin]
