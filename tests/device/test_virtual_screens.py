"""Every screen of every app renders, its XML parses, and the XML agrees with the pixels."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from darkscan.device.hierarchy import Hierarchy, Node, parse_hierarchy
from darkscan.device.protocol import Device
from darkscan.device.virtual import SETTINGS, VirtualDevice, load_app
from darkscan.device.virtual.model import App
from darkscan.geometry import Box

REPO = Path(__file__).resolve().parents[2]
APP_FILES = sorted((REPO / "src/darkscan/apps").glob("*.yaml")) + sorted(
    (REPO / "tests/apps").glob("*.yaml"))
MINI = REPO / "tests/apps/_mini.yaml"


def _screens() -> list[tuple[Path, str]]:
    return [(p, sid) for p in APP_FILES for sid in load_app(p).screens]


_DEVICES: dict[Path, tuple[App, VirtualDevice]] = {}


def _device(path: Path) -> tuple[App, VirtualDevice]:
    if path not in _DEVICES:
        app = load_app(path)
        _DEVICES[path] = (app, VirtualDevice([app]))
    return _DEVICES[path]


def _ink(img: np.ndarray, box: Box) -> int:
    """Pixels in ``box`` that differ clearly from the box's most common colour."""
    crop = img[box.y1:box.y2, box.x1:box.x2].reshape(-1, 3).astype(np.int32)
    if crop.size == 0:
        return 0
    packed = (crop[:, 0] << 16) | (crop[:, 1] << 8) | crop[:, 2]
    values, counts = np.unique(packed, return_counts=True)
    m = int(values[counts.argmax()])
    mode = np.array([m >> 16, (m >> 8) & 255, m & 255])
    return int((np.abs(crop - mode).sum(axis=1) > 60).sum())


def _near(img: np.ndarray, box: Box, colour: tuple[int, int, int]) -> int:
    """Pixels in ``box`` within a small distance of ``colour``."""
    crop = img[box.y1:box.y2, box.x1:box.x2].reshape(-1, 3).astype(np.int32)
    return int((np.abs(crop - np.array(colour)).sum(axis=1) < 30).sum())


def _cut_by_scroll_edge(h: Hierarchy, node: Node) -> bool:
    for a in h.ancestors(node):
        if a.scrollable:
            return node.bounds.y1 == a.bounds.y1 or node.bounds.y2 == a.bounds.y2
    return False


def _check_consistency(img: np.ndarray, h: Hierarchy, app: App, w: int, ht: int,
                       dp: float) -> None:
    assert img.shape == (ht, w, 3) and img.dtype == np.uint8
    assert "com.android.systemui" in h.packages()
    full = Box(0, 0, w, ht)
    for node in h.nodes:
        assert node.bounds.intersection(full) == node.bounds, node
        parent = h.parent(node)
        if parent is not None and not node.bounds.empty:
            assert parent.bounds.intersection(node.bounds) == node.bounds, (parent, node)
    for node in h.clickable():
        if _cut_by_scroll_edge(h, node):
            continue  # a row scrolled half out of view may show only its blank margin
        assert _ink(img, node.bounds) >= 12, f"clickable node draws nothing: {node}"
    primary = app.theme.primary[:3]
    for node in h.checkables():
        if not node.enabled or node.package != app.package:
            continue
        count = _near(img, node.bounds, primary)
        if node.checked:  # a filled box / track / dot in the primary colour
            assert count >= (8 * dp) ** 2, f"checked but no primary colour: {node}"
        else:
            assert count < (3 * dp) ** 2, f"unchecked but primary colour present: {node}"


@pytest.mark.parametrize("path, screen_id", _screens(),
                         ids=lambda v: v.name if isinstance(v, Path) else str(v))
def test_every_screen_renders_and_xml_matches_pixels(path: Path, screen_id: str) -> None:
    app, dev = _device(path)
    dev.open_screen(app.package, screen_id)
    img = dev.screenshot()
    h = parse_hierarchy(dev.dump_hierarchy())
    assert app.package in h.packages()
    if app.screen(screen_id).secure:
        assert not img.any()
        return
    w, ht = dev.window_size()
    _check_consistency(img, h, app, w, ht, dev.density())
    texts = set(h.texts())
    if app.screen(screen_id).title and not app.screen(screen_id).dialog:
        assert app.screen(screen_id).title in texts


def test_toggling_flips_pixels_and_xml_together() -> None:
    app = load_app(MINI)
    dev = VirtualDevice([app])
    dev.open_screen(app.package, "settings")
    before = parse_hierarchy(dev.dump_hierarchy())
    switches = [n for n in before.checkables() if n.short_class == "Switch"]
    assert [s.checked for s in switches] == [True, False]
    row = before.parent(switches[1])
    assert row is not None and row.clickable
    dev.tap(*row.bounds.center)
    after = parse_hierarchy(dev.dump_hierarchy())
    img = dev.screenshot()
    assert [n.checked for n in after.checkables() if n.short_class == "Switch"] == [True, True]
    _check_consistency(img, after, app, *dev.window_size(), dev.density())


def test_xml_is_uiautomator2_format() -> None:
    dev = VirtualDevice([MINI])
    dev.open_screen("com.darkscan.mini", "vip")
    xml = dev.dump_hierarchy()
    assert xml.startswith("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"
                          '<hierarchy rotation="0">')
    first = xml.splitlines()[2]
    order = ["index", "text", "resource-id", "class", "package", "content-desc", "checkable",
             "checked", "clickable", "enabled", "focusable", "focused", "scrollable",
             "long-clickable", "password", "selected", "visible-to-user", "bounds",
             "drawing-order", "hint", "display-id"]
    positions = [first.index(f' {a}="') for a in order]
    assert positions == sorted(positions)
    h = parse_hierarchy(xml)
    boxes = h.find(cls="android.widget.CheckBox")
    assert [b.text for b in boxes][0].startswith("我已阅读")
    assert [b.checked for b in boxes] == [True, False]
    assert h.find(resource_id="com.darkscan.mini:id/pay")[0].cls == "android.widget.Button"
    radios = h.find(cls="android.widget.RadioButton")
    assert [r.checked for r in radios] == [True, False]


def test_webview_text_is_only_in_pixels() -> None:
    dev = VirtualDevice([MINI])
    dev.open_screen("com.darkscan.mini", "policy")
    h = parse_hierarchy(dev.dump_hierarchy())
    (web,) = h.find(cls="android.webkit.WebView")
    assert web.children == () and web.text == ""
    assert not any("第一条" in t for t in h.texts())
    assert _ink(dev.screenshot(), web.bounds) > 200


def test_dialog_is_its_own_window_over_a_dimmed_screen() -> None:
    dev = VirtualDevice([MINI])
    dev.open_screen("com.darkscan.mini", "home")
    plain = dev.screenshot()
    dev.open_screen("com.darkscan.mini", "promo")
    dimmed = dev.screenshot()
    h = parse_hierarchy(dev.dump_hierarchy())
    app_roots = [r for r in h.roots if r.package == "com.darkscan.mini"]
    assert len(app_roots) == 2
    card = app_roots[1].bounds
    assert card.width < plain.shape[1] and card.height < plain.shape[0] // 2
    # Outside the card the screen below is darker; inside it is the dialog's own background.
    assert dimmed[card.y2 + 40:, :, :].mean() < plain[card.y2 + 40:, :, :].mean() * 0.7
    assert tuple(dimmed[card.y1 + 60, card.x1 + 20]) == (255, 255, 255)
    # Rounded corners: the very corner pixel is scrim, not card.
    assert dimmed[card.y1, card.x1].sum() < 3 * 200


def test_long_list_xml_shows_only_visible_rows() -> None:
    dev = VirtualDevice([MINI])
    dev.open_screen("com.darkscan.mini", "long")
    h = parse_hierarchy(dev.dump_hierarchy())
    (rv,) = h.find(cls="androidx.recyclerview.widget.RecyclerView")
    assert rv.scrollable
    rows = [n for n in rv.children if n.clickable]
    assert 5 <= len(rows) <= 12
    assert h.find(text="第 1 项") and not h.find(text="第 200 项")


def test_settings_app_screens_render() -> None:
    app = load_app(MINI)
    dev = VirtualDevice([app])
    settings = dev._app(SETTINGS)  # the generated system app, checked like any other
    for sid in settings.screens:
        dev.open_screen(SETTINGS, sid)
        img = dev.screenshot()
        _check_consistency(img, parse_hierarchy(dev.dump_hierarchy()), settings,
                           *dev.window_size(), dev.density())


def test_virtual_device_satisfies_protocol() -> None:
    dev = VirtualDevice([MINI])
    assert isinstance(dev, Device)
    info = dev.info()
    assert (info.width, info.height, info.density) == (720, 1280, 2.0)
    assert dev.window_size() == (720, 1280) and dev.density() == 2.0


def test_same_actions_give_same_bytes() -> None:
    def run() -> tuple[bytes, str]:
        dev = VirtualDevice([MINI])
        dev.app_start("com.darkscan.mini")
        dev.back()
        dev.swipe(360, 900, 360, 500)
        dev.tap(360, 606)
        return dev.screenshot().tobytes(), dev.dump_hierarchy()

    assert run() == run()


def test_render_speed() -> None:
    app = load_app(MINI)
    dev = VirtualDevice([app])
    ids = [s for s in app.screens if not app.screen(s).secure]
    dev.open_screen(app.package, "home")
    dev.screenshot()  # fonts and icons warm
    start = time.perf_counter()
    for sid in ids:
        dev.open_screen(app.package, sid)
        dev.screenshot()
    per_screen = (time.perf_counter() - start) / len(ids)
    assert per_screen < 0.25, f"{per_screen * 1000:.0f} ms per screen"
    start = time.perf_counter()
    for _ in range(20):
        dev.screenshot()
    assert (time.perf_counter() - start) / 20 < 0.02  # cached
