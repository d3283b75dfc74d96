"""Pixel-only widget recognition on rendered fragments (no OCR, no hierarchy).

Each screen is drawn with PIL at 3 px/dp; the assertions are about what a pixel reader must
tell apart: controls vs icons / avatars / badges, every checkbox style and its state, switches
in several skins, buttons by emphasis, and an edge-to-edge CANCEL | ACCEPT bar.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from darkscan.geometry import Box
from darkscan.vision.model import Emphasis, ScreenText, Source, WidgetKind
from darkscan.vision.widgets import find_buttons, find_icon_buttons, find_widgets, is_tick

D = 3.0  # px per dp


def _screen(bg: str = "#FFFFFF", w: int = 1080, h: int = 900) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    im = Image.new("RGB", (w, h), bg)
    return im, ImageDraw.Draw(im)


def _tick(d: ImageDraw.ImageDraw, x: int, y: int, s: int, colour: str, width: int = 6) -> None:
    d.line([(x + s * 0.18, y + s * 0.52), (x + s * 0.42, y + s * 0.76), (x + s * 0.84, y + s * 0.26)],
           fill=colour, width=width, joint="curve")


def _kinds(found, kind: WidgetKind):
    return [w for w in found if w.kind is kind]


def _at(found, box: Box):
    return [w for w in found if w.box.overlaps(box)]


def test_tick_shape_tells_a_check_mark_from_a_v_a_slash_and_a_dot() -> None:
    def mask(draw) -> np.ndarray:
        im = Image.new("L", (80, 80), 0)
        draw(ImageDraw.Draw(im))
        return np.asarray(im) > 0

    assert is_tick(mask(lambda d: d.line([(12, 42), (32, 62), (68, 18)], fill=255, width=6)))
    assert not is_tick(mask(lambda d: d.line([(12, 18), (40, 62), (68, 18)], fill=255, width=6)))
    assert not is_tick(mask(lambda d: d.line([(12, 62), (68, 18)], fill=255, width=6)))
    assert not is_tick(mask(lambda d: d.ellipse((25, 25, 55, 55), fill=255)))


def test_icons_avatars_and_badges_are_not_checkboxes() -> None:
    """A pencil icon, an app icon with a slashed glyph, a work-profile badge (briefcase on an
    orange disc), a photo avatar and a notification count badge: none is a control."""
    im, d = _screen()
    # app icon: 44 dp rounded square, pale glyph and a white slash
    d.rounded_rectangle((60, 60, 192, 192), radius=18, fill="#4FC3F7")
    d.polygon([(95, 110), (120, 110), (140, 90), (140, 160), (120, 140), (95, 140)], outline="#B3E5FC", width=4)
    d.line([(90, 170), (165, 85)], fill="#FFFFFF", width=6)
    # pencil icon, 24 dp, in a square outline (an "edit" button)
    d.rounded_rectangle((300, 90, 372, 162), radius=8, outline="#616161", width=5)
    d.line([(318, 146), (356, 106)], fill="#616161", width=9)
    d.polygon([(314, 150), (318, 140), (324, 148)], fill="#616161")
    # work-profile badge: a briefcase on an orange disc
    d.ellipse((500, 90, 572, 162), fill="#FF6D00")
    d.rectangle((516, 112, 556, 146), fill="#FFFFFF")
    d.rectangle((528, 104, 544, 112), outline="#FFFFFF", width=3)
    # photo avatar: a noisy disc
    rng = np.random.default_rng(7)
    photo = Image.fromarray(rng.integers(0, 255, (72, 72, 3), dtype=np.uint8))
    disc = Image.new("L", (72, 72), 0)
    ImageDraw.Draw(disc).ellipse((0, 0, 71, 71), fill=255)
    im.paste(photo, (700, 90), disc)
    # notification count badge: a red disc with a white "3"
    d.ellipse((900, 96, 960, 156), fill="#E53935")
    d.line([(918, 112), (940, 112), (928, 126), (942, 138), (918, 146)], fill="#FFFFFF", width=5)
    found = find_widgets(np.asarray(im), D)
    assert [w for w in found if w.kind is not WidgetKind.BUTTON] == []


def test_every_checkbox_style_and_its_state() -> None:
    """Square (outlined off, filled on), round (a tick in a disc), and a bare tick trailing
    a row, in light and dark mode."""
    for bg, ink, accent in (("#FFFFFF", "#757575", "#1A73E8"), ("#121212", "#BDBDBD", "#8AB4F8")):
        im, d = _screen(bg)
        d.rounded_rectangle((60, 60, 120, 120), radius=6, outline=ink, width=6)       # off
        d.rounded_rectangle((60, 200, 120, 260), radius=6, fill=accent)                # on
        _tick(d, 64, 204, 52, bg, 7)
        d.ellipse((60, 340, 126, 406), fill=accent)                                    # round on
        _tick(d, 66, 346, 54, bg, 7)
        _tick(d, 960, 480, 60, accent, 7)                                              # bare tick
        found = find_widgets(np.asarray(im), D)
        boxes = _kinds(found, WidgetKind.CHECKBOX)
        states = {(w.style, w.checked) for w in boxes}
        assert states == {("square", False), ("square", True), ("round", True), ("tick", True)}, (
            bg, [(w.style, w.checked, w.box) for w in found])
        assert _kinds(found, WidgetKind.RADIO) == []


def test_a_leading_tick_is_a_bullet_not_a_checkbox() -> None:
    im, d = _screen()
    _tick(d, 60, 100, 60, "#188038", 7)
    d.rectangle((150, 115, 700, 150), fill="#424242")  # the row's text beside it
    assert find_widgets(np.asarray(im), D) == []


def test_radios_on_plain_and_on_a_photo_card() -> None:
    im, d = _screen()
    rng = np.random.default_rng(3)
    im.paste(Image.fromarray(rng.integers(90, 160, (300, 1080, 3), dtype=np.uint8)), (0, 400))
    for y, bg in ((100, "#FFFFFF"), (500, None)):
        if bg is None:
            d.rounded_rectangle((40, y - 30, 420, y + 130), radius=12, fill="#FAFAFA")
        d.ellipse((60, y, 126, y + 66), outline="#5F6368", width=6)                    # off
        d.ellipse((260, y, 326, y + 66), outline="#1A73E8", width=6)                   # on
        d.ellipse((278, y + 18, 308, y + 48), fill="#1A73E8")
    found = _kinds(find_widgets(np.asarray(im), D), WidgetKind.RADIO)
    assert sorted((w.box.x1 > 200, w.checked) for w in found) == [
        (False, False), (False, False), (True, True), (True, True)], found


def _m2(d, x, y, on, track, thumb):
    d.rounded_rectangle((x + 9, y + 9, x + 9 + 102, y + 9 + 42), radius=21, fill=track)
    tx = x + 9 + 102 - 60 if on else x
    d.ellipse((tx, y, tx + 60, y + 60), fill=thumb)


def _m3(d, x, y, on, accent, outline):
    if on:
        d.rounded_rectangle((x, y, x + 156, y + 96), radius=48, fill=accent)
        d.ellipse((x + 156 - 88, y + 8, x + 156 - 8, y + 88), fill="#FFFFFF")
    else:
        d.rounded_rectangle((x, y, x + 156, y + 96), radius=48, outline=outline, width=6)
        d.ellipse((x + 24, y + 24, x + 72, y + 72), fill=outline)


def test_switch_skins_and_their_state() -> None:
    """Material 2 (thumb overhangs), Material 3 / iOS (thumb inside), a custom orange, and
    dark mode: on = the thumb at the right end."""
    im, d = _screen(h=1400)
    _m2(d, 860, 60, True, "#80CBC4", "#00897B")
    _m2(d, 860, 200, False, "#BDBDBD", "#F1F1F1")
    _m3(d, 860, 340, True, "#6750A4", "#79747E")
    _m3(d, 860, 500, False, "#6750A4", "#79747E")
    _m3(d, 860, 660, True, "#FF6D00", "#79747E")   # custom colour
    d.rectangle((0, 800, 1080, 1400), fill="#1E1E1E")  # dark mode panel
    _m2(d, 860, 860, True, "#4D6F6C", "#80CBC4")
    _m2(d, 860, 1000, False, "#5A5A5A", "#B0B0B0")
    _m3(d, 860, 1140, True, "#D0BCFF", "#938F99")
    found = _kinds(find_widgets(np.asarray(im), D), WidgetKind.SWITCH)
    got = sorted((w.box.y1 // 140, w.checked) for w in found)
    assert [c for _, c in got] == [True, False, True, False, True, True, False, True], got


def _texts(*items: tuple[str, tuple[int, int, int, int]]) -> list[ScreenText]:
    return [ScreenText(t, Box(*b), Source.OCR) for t, b in items]



def test_buttons_by_emphasis(canvas) -> None:
    c = canvas(1080, 700)
    d = c.draw
    d.rounded_rectangle((60, 60, 500, 192), radius=66, fill="#1A73E8")             # filled
    d.rounded_rectangle((580, 60, 1020, 192), radius=66, fill="#E8EEF7")           # tonal
    d.rounded_rectangle((60, 300, 500, 432), radius=66, outline="#747775", width=4)  # outlined
    texts = _texts(("Continue", c.text((190, 100), "Continue", 44, "#FFFFFF")),
                   ("Add to list", c.text((680, 100), "Add to list", 44, "#1A3A6B")),
                   ("Details", c.text((200, 340), "Details", 44, "#1A73E8")),
                   ("Learn more", c.text((680, 340), "Learn more", 44, "#1A73E8")),   # text
                   ("Your library", c.text((60, 520), "Your library", 44, "#202124")))  # no button
    found = find_buttons(c.array(), D, texts)
    by = {w.label: w.emphasis for w in found}
    assert by == {"Continue": Emphasis.FILLED, "Add to list": Emphasis.TONAL,
                  "Details": Emphasis.OUTLINED, "Learn more": Emphasis.TEXT}, by


def test_edge_to_edge_cancel_accept_bar_is_two_buttons(canvas) -> None:
    """A dialog whose bottom is a bar split by a vertical divider: two buttons, each its cell,
    though neither has a container of its own and the decline's label is plain grey."""
    c = canvas(1080, 1200, "#7F7F7F")  # the dimmed page
    d = c.draw
    d.rectangle((90, 300, 990, 900), fill="#FFFFFF")
    title = c.text((150, 360), "Use your location?", 48, "#212121")
    d.line([(90, 750), (989, 750)], fill="#E0E0E0", width=3)          # the bar's divider
    d.line([(540, 752), (540, 899)], fill="#E0E0E0", width=3)         # the split
    texts = _texts(("Use your location?", title),
                   ("CANCEL", c.text((230, 800), "CANCEL", 42, "#757575")),
                   ("ACCEPT", c.text((690, 800), "ACCEPT", 42, "#1A73E8")))
    found = find_buttons(c.array(), D, texts)
    cells = {w.label: w.box for w in found if w.style == "bar"}
    assert set(cells) == {"CANCEL", "ACCEPT"}, [(w.label, w.style, w.emphasis, w.box) for w in found]
    assert cells["CANCEL"].x1 <= 100 and 530 <= cells["CANCEL"].x2 <= 545
    assert 535 <= cells["ACCEPT"].x1 <= 550 and cells["ACCEPT"].x2 >= 980
    assert all(w.label != "Use your location?" for w in found)


# ------------------------------------------------------------------ icon-only header controls
_APP_BAR = """
app:
  package: com.example.iconbar
  label: Bar
  lang: {lang}
  screen: {{width: 720, height: 1280, density: 2.0}}
  theme: {{primary: "{primary}", on_primary: "#FFFFFF", background: "#FFFFFF", text: "#212121",
          secondary_text: "#757575", divider: "#E0E0E0"{bar}}}
  start: home
screens:
  home:
    title: {title}
    back_arrow: true
    widgets:
      - {{type: row, text: {row1}, icon: bell}}
      - {{type: row, text: {row2}, icon: lock}}
"""


_WHITE_BAR = ', app_bar: "#FFFFFF", app_bar_text: "#212121", status_bar: "#F0F0F0"'


@pytest.mark.parametrize("lang,primary,bar,title,row1,row2", [
    ("en", "#3F51B5", "", "Account settings", "Notifications", "Privacy"),
    ("zh-Hans", "#E64A19", "", "账号设置", "消息通知", "隐私"),
    ("zh-Hant", "#00796B", "", "帳號設定", "訊息通知", "隱私"),
    ("en", "#3F51B5", _WHITE_BAR, "Account settings", "Notifications", "Privacy"),
])
def test_app_bar_back_arrow_is_an_icon_button(ocr_engine, lang, primary, bar, title, row1,
                                              row2) -> None:
    """A rendered screen (virtual device) with an app bar: its back arrow, a glyph with no
    text at the bar's leading end, is an icon-only button; the title and the list rows'
    leading icons and chevrons below the bar are not. A white bar on a white page is no band:
    the arrow is found on the row of the page's first text line (OCR reads the dark arrow
    as a letter, "K", which is no word)."""
    from darkscan.device.hierarchy import parse_hierarchy
    from darkscan.device.virtual.appfile import parse_app
    from darkscan.device.virtual.device import VirtualDevice
    from darkscan.vision.context import ScreenContext

    app = parse_app(_APP_BAR.format(lang=lang, primary=primary, bar=bar, title=title,
                                    row1=row1, row2=row2), "iconbar.yaml")
    dev = VirtualDevice([app])
    dev.app_start(app.package)
    img, density = dev.screenshot(), dev.density()
    nav_up = [n.bounds for n in parse_hierarchy(dev.dump_hierarchy())
              if n.cls.endswith("ImageButton")]
    assert len(nav_up) == 1
    icons = [w for w in ScreenContext(img, None, density=density, ocr=ocr_engine).widgets
             if w.kind is WidgetKind.BUTTON and w.style == "icon"]
    assert len(icons) == 1, icons
    assert nav_up[0].intersection(icons[0].box).area >= 0.8 * icons[0].box.area


def _menu_glyph(d: ImageDraw.ImageDraw, x: int, y: int, colour: str) -> None:
    """Three bars, 18 x 12 dp: the navigation-drawer ("hamburger") icon."""
    for i in range(3):
        d.rounded_rectangle((x, y + i * 15, x + 54, y + i * 15 + 6), radius=3, fill=colour)


def test_header_icon_over_artwork_is_an_icon_button(canvas) -> None:
    """A page header drawn over a hero picture (no flat bar): the menu glyph at the row's
    trailing end, aligned with the header's first text line, is an icon-only button. Not one:
    the centred logo, a photo avatar at the leading end, a decoration line crossing the row,
    and icons further down the page."""
    c = canvas(1080, 2340, "#FFFFFF")
    t = np.linspace(0.0, 1.0, 700)[:, None, None]
    hero = ((1 - t) * np.array((22, 18, 58)) + t * np.array((120, 40, 70))).astype(np.uint8)
    c.img.paste(Image.fromarray(np.repeat(hero, 1080, axis=1)), (0, 72))
    d = c.draw
    c.draw.rectangle((0, 0, 1079, 71), fill="#F0F0F0")               # status bar
    signup = c.text((400, 140), "Sign up", 40, "#FFFFFF")
    d.ellipse((510, 215, 570, 275), fill="#FFFFFF")                    # a logo, centred
    _menu_glyph(d, 960, 150, "#FFFFFF")                                # the menu control
    d.line([(880, 100), (880, 400)], fill="#7E57C2", width=8)          # decoration
    rng = np.random.default_rng(3)
    photo = Image.fromarray(rng.integers(0, 255, (66, 66, 3), dtype=np.uint8))
    c.img.paste(photo, (48, 140))                                      # avatar
    body = c.text((60, 900), "Recent activity", 40, "#202124")
    _menu_glyph(d, 960, 910, "#202124")                                # an icon in the page
    texts = _texts(("Sign up", signup), ("Recent activity", body))
    icons = [w for w in find_icon_buttons(c.array(), D, texts) if w.style == "icon"]
    assert [w.box.contains(987, 172) for w in icons] == [True], icons
    assert icons[0].kind is WidgetKind.BUTTON and icons[0].box.height <= 48 * D


def test_app_bar_glyphs_under_the_status_bar_and_words_are_not_icon_buttons() -> None:
    """A bar drawn under the status bar: the battery glyph there is system UI; a word in the
    bar (read by OCR) is no icon."""
    im, d = _screen("#FFFFFF", 1080, 2340)
    d.rectangle((0, 0, 1079, 239), fill="#1565C0")                     # status + app bar
    d.rectangle((1020, 18, 1044, 60), fill="#FFFFFF")                  # battery, in the status bar
    d.rectangle((48, 130, 102, 184), fill="#FFFFFF")                   # a word's glyph blob
    texts = _texts(("Hi", (40, 120, 110, 190)))
    assert find_icon_buttons(np.asarray(im), D, texts) == []
