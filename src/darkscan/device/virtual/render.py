"""Draw a laid-out screen with PIL: Material-style widgets, system bars, dialogs over a scrim."""

from __future__ import annotations

import zlib

from PIL import Image

from darkscan.device.virtual import draw as D
from darkscan.device.virtual.layout import Element, Role, ScreenLayout, nav_buttons
from darkscan.device.virtual.model import App, ButtonStyle, Theme, WidgetType
from darkscan.device.virtual.parts import Parts, parts
from darkscan.device.virtual.textwrap import line_height, text_width
from darkscan.geometry import Box

SCRIM = 0.5
_WHITE = (255, 255, 255)


class _R:
    def __init__(self, app: App, lay: ScreenLayout) -> None:
        self.app, self.lay, self.t = app, lay, app.theme
        self.density = lay.size.density

    def dp(self, v: float) -> int:
        return int(round(v * self.density))


def app_bar_color(t: Theme) -> D.RGB:
    return D.rgb(t.app_bar or t.primary)


def status_bar_color(app: App, lay: ScreenLayout) -> D.RGB:
    if app.theme.status_bar is not None:
        return D.rgb(app.theme.status_bar)
    if lay.app_bar is not None:
        bar = app_bar_color(app.theme)
        return bar if D.luminance(bar) > 200 else D.shade(bar, -0.15)
    return D.rgb(lay.background)


def draw_status_bar(img: Image.Image, box: Box, bg: D.RGB, clock: str, density: float) -> None:
    def dp(v: float) -> int:
        return int(round(v * density))

    img.paste(bg, (box.x1, box.y1, box.x2, box.y2))
    fg = (255, 255, 255) if D.luminance(bg) < 150 else (33, 33, 33)
    size = dp(14)
    D.text(img, dp(16), box.y1 + (box.height - line_height(size)) // 2, clock, size, fg)
    cy = box.y1 + box.height // 2
    # battery
    bx2 = box.x2 - dp(12)
    bb = Box(bx2 - dp(10), cy - dp(8), bx2, cy + dp(8))
    D.rounded(img, bb, dp(1.5), outline=fg, width=max(1, dp(1.5)))
    img.paste(fg, (bb.x1 + dp(2), bb.y1 + dp(5), bb.x2 - dp(2), bb.y2 - dp(2)))
    img.paste(fg, (bb.x1 + dp(3), bb.y1 - dp(1.5), bb.x2 - dp(3), bb.y1))
    # signal: a filled right triangle
    sx2 = bb.x1 - dp(8)
    m = D.shape_mask(dp(14), dp(14), lambda d, s: d.polygon(
        [(0, dp(14) * s), (dp(14) * s, 0), (dp(14) * s, dp(14) * s)], fill=255))
    D.paste_mask(img, sx2 - dp(14), cy - dp(7), m, fg)
    # wifi: a quarter-circle fan
    wx2 = sx2 - dp(20)
    wm = D.shape_mask(dp(18), dp(14), lambda d, s: d.pieslice(
        (0, 0, dp(18) * s, dp(28) * s), 225, 315, fill=255))
    D.paste_mask(img, wx2 - dp(18), cy - dp(6), wm, fg)


def draw_nav_bar(img: Image.Image, box: Box, density: float) -> None:
    def dp(v: float) -> int:
        return int(round(v * density))

    img.paste((0, 0, 0), (box.x1, box.y1, box.x2, box.y2))
    fg = (230, 230, 230)
    btn = nav_buttons(box, density)
    cx, cy = btn["back"].center
    m = D.shape_mask(dp(18), dp(20), lambda d, s: (
        d.polygon([(dp(16) * s, dp(1) * s), (dp(16) * s, dp(19) * s), (dp(1) * s, dp(10) * s)],
                  fill=255),
        d.polygon([(dp(14) * s, dp(4.5) * s), (dp(14) * s, dp(15.5) * s),
                   (dp(4.6) * s, dp(10) * s)], fill=0)))
    D.paste_mask(img, cx - dp(9), cy - dp(10), m, fg)
    hx, hy = btn["home"].center
    D.circle(img, hx, hy, dp(9), outline=fg, width=dp(2))
    rx, ry = btn["recents"].center
    D.rounded(img, Box(rx - dp(8), ry - dp(8), rx + dp(8), ry + dp(8)), dp(1.5), outline=fg,
              width=dp(2))


def _text_color(r: _R, e: Element, default: D.RGB) -> D.RGB:
    w = e.widget
    c = D.rgb(w.color) if (w is not None and w.color is not None
                           and w.type is not WidgetType.BUTTON) else default
    return c if e.enabled else D.mix(c, _WHITE, 0.6)


def _lines(img: Image.Image, r: _R, e: Element, x: int, y: int, width: int, color: D.RGB,
           align: str = "left", size: int | None = None, bold: bool | None = None) -> int:
    size = size or e.font_px
    bold = e.bold if bold is None else bold
    lh = line_height(size)
    for line in e.lines:
        lx = x
        if align != "left":
            lw = text_width(line, size, bold)
            lx = x + (width - lw) // 2 if align == "center" else x + width - lw
        D.text(img, lx, y, line, size, color, bold)
        y += lh
    return y


def _draw(img: Image.Image, r: _R, e: Element) -> None:
    t, b, w, dp = r.t, e.box, e.widget, r.dp
    bg_here = D.rgb(r.lay.background)
    if e.role is Role.TEXT:
        pad = w.padding if w is not None and w.padding is not None else None
        if w is not None and w.background is not None:
            D.rounded(img, b, dp(w.radius or 0), fill=w.background)
        px = dp(pad.left) if pad else 0
        py = dp(pad.top) if pad else 0
        inner = b.width - px - (dp(pad.right) if pad else 0)
        align = w.align.value if w is not None and w.align is not None else "left"
        _lines(img, r, e, b.x1 + px, b.y1 + py, inner, _text_color(r, e, D.rgb(t.text)), align)
    elif e.role is Role.DIALOG_TITLE:
        _lines(img, r, e, b.x1, b.y1, b.width, D.rgb(t.text))
    elif e.role is Role.BUTTON:
        assert w is not None
        radius = dp(w.radius) if w.radius is not None else min(b.height / 2, dp(22))
        base = D.rgb(w.color or t.primary)
        if w.style is ButtonStyle.FILLED:
            fill = base if e.enabled else (224, 224, 224)
            label = D.rgb(w.text_color or t.on_primary) if e.enabled else (158, 158, 158)
            D.rounded(img, b, radius, fill=fill)
        elif w.style is ButtonStyle.OUTLINED:
            label = D.rgb(w.text_color or w.color or t.primary)
            outline = D.rgb(w.color or t.primary) if e.enabled else (200, 200, 200)
            if w.background is not None:
                D.rounded(img, b, radius, fill=w.background)
            D.rounded(img, b, radius, outline=outline, width=max(1, dp(1)))
            label = label if e.enabled else (170, 170, 170)
        else:
            label = D.rgb(w.text_color or w.color or t.primary)
            label = label if e.enabled else (170, 170, 170)
        size = e.font_px
        y = b.y1 + (b.height - line_height(size)) // 2
        _lines(img, r, e, b.x1 + dp(8), y, b.width - dp(16), label, "center")
    elif e.role is Role.IMAGE:
        _image(img, r, e)
    elif e.role in (Role.CHECKBOX, Role.RADIO, Role.SWITCH):
        p = parts(e, r.density)
        _label_block(img, r, e, p)
        c = p.control
        assert c is not None
        on = t.primary if e.enabled else (189, 189, 189)
        off = D.rgb(t.secondary_text)
        if e.role is Role.CHECKBOX:
            if e.checked:
                D.rounded(img, c, dp(2), fill=on)
                D.icon(img, "check", c.x1 + 1, c.y1 + 1, c.width - 2, t.on_primary)
            else:
                D.rounded(img, c, dp(2), outline=off, width=dp(2))
        elif e.role is Role.RADIO:
            cx, cy = (c.x1 + c.x2) / 2, (c.y1 + c.y2) / 2
            D.circle(img, cx, cy, c.width / 2, outline=on if e.checked else off, width=dp(2))
            if e.checked:
                D.circle(img, cx, cy, dp(5), fill=on)
        else:
            th = c.height
            if e.checked:
                D.rounded(img, c, th / 2, fill=on)
                D.circle(img, c.x2 - th / 2, c.y1 + th / 2, dp(12), fill=t.on_primary)
            else:
                outline = D.mix(off, bg_here, 0.15)
                D.rounded(img, c, th / 2, fill=D.mix(bg_here, (0, 0, 0), 0.06))
                D.rounded(img, c, th / 2, outline=outline, width=dp(2))
                D.circle(img, c.x1 + th / 2, c.y1 + th / 2, dp(8), fill=outline)
    elif e.role is Role.ROW:
        _row(img, r, e)
    elif e.role is Role.WEBVIEW:
        assert w is not None
        img.paste(D.rgb(w.background or (255, 255, 255)), (b.x1, b.y1, b.x2, b.y2))
        lh = line_height(e.font_px)
        y = b.y1 + dp(12)
        color = D.rgb(w.color or (51, 51, 51))
        for line in e.lines:
            if y + lh > b.y2:
                break
            D.text(img, b.x1 + dp(16), y, line, e.font_px, color)
            y += lh
    elif e.role is Role.INPUT:
        assert w is not None
        outline = D.rgb(t.primary) if e.focused else (158, 158, 158)
        if w.background is not None:
            D.rounded(img, b, dp(4), fill=w.background)
        D.rounded(img, b, dp(4), outline=outline, width=dp(2) if e.focused else max(1, dp(1)))
        shown = ("•" * len(e.text) if w.password else e.text) or w.hint
        color = D.rgb(t.text) if e.text else D.rgb(t.secondary_text)
        y = b.y1 + (b.height - line_height(e.font_px)) // 2
        D.text(img, b.x1 + dp(16), y, shown, e.font_px, color)
    elif e.role is Role.DIVIDER:
        assert w is not None
        img.paste(D.rgb(w.color or t.divider), (b.x1, b.y1, b.x2, b.y2))
    elif e.role is Role.GROUP:
        if w is not None and w.background is not None:
            img.paste(D.rgb(w.background), (b.x1, b.y1, b.x2, b.y2))
    elif e.role is Role.APP_ICON:
        _app_icon(img, r, e)
    for child in e.children:
        _draw(img, r, child)


def _label_block(img: Image.Image, r: _R, e: Element, p: Parts) -> None:
    y = _lines(img, r, e, p.label.x1, p.label.y1, 0, _text_color(r, e, D.rgb(r.t.text)))
    sub = r.dp(13)
    for s in p.sub_lines:
        D.text(img, p.label.x1, y, s, sub, r.t.secondary_text)
        y += line_height(sub)


def _row(img: Image.Image, r: _R, e: Element) -> None:
    b, w, t, dp = e.box, e.widget, r.t, r.dp
    assert w is not None
    p = parts(e, r.density)
    if w.background is not None:
        img.paste(D.rgb(w.background), (b.x1, b.y1, b.x2, b.y2))
    if p.icon is not None and e.icon:
        D.icon(img, e.icon, p.icon.x1, p.icon.y1, p.icon.width,
               D.rgb(w.color) if w.color is not None else D.rgb(t.secondary_text))
    color = D.rgb(t.text) if e.enabled else D.mix(D.rgb(t.text), _WHITE, 0.6)
    D.text(img, p.label.x1, p.label.y1, e.lines[0] if e.lines else "", e.font_px, color, e.bold)
    if p.sub is not None:
        D.text(img, p.sub.x1, p.sub.y1, e.subtitle, dp(13), t.secondary_text)
    if p.chevron is not None:
        D.icon(img, "chevron_right", p.chevron.x1, p.chevron.y1, p.chevron.width,
               (189, 189, 189))
    if p.value is not None:
        D.text(img, p.value.x1, p.value.y1, w.value, dp(14), t.secondary_text)
    img.paste(D.rgb(t.divider), (p.label.x1, b.y2 - 1, b.x2, b.y2))


def _image(img: Image.Image, r: _R, e: Element) -> None:
    b, w, dp = e.box, e.widget, r.dp
    assert w is not None
    base = D.rgb(w.color or r.t.primary)
    radius = dp(w.radius if w.radius is not None else 8)
    if w.gradient:
        fill = D.vgradient(b.width, b.height, D.shade(base, 0.25), D.shade(base, -0.2))
    else:
        fill = Image.new("RGB", (b.width, b.height), base)
    # A few soft discs so it reads as a picture, placed deterministically from the widget key.
    seed = zlib.crc32(e.key.encode())
    for k in range(3):
        rr = b.height * (0.25 + 0.1 * ((seed >> (k * 3)) % 4))
        cx = b.width * (((seed >> (k * 5 + 2)) % 97) / 97)
        cy = b.height * (((seed >> (k * 7 + 1)) % 89) / 89)
        D.circle(fill, cx, cy, rr, fill=D.shade(base, 0.12 if k % 2 else -0.08))
    m = D.shape_mask(b.width, b.height, lambda d, s: d.rounded_rectangle(
        (0, 0, b.width * s - 1, b.height * s - 1), radius=radius * s, fill=255))
    img.paste(fill, (b.x1, b.y1), m)
    if e.lines:
        lh = line_height(e.font_px)
        y = b.y1 + (b.height - lh * len(e.lines)) // 2
        color = D.rgb(w.text_color or (255, 255, 255))
        _lines(img, r, e, b.x1 + dp(16), y, b.width - dp(32), color, "center")


def _app_icon(img: Image.Image, r: _R, e: Element) -> None:
    b, dp = e.box, r.dp
    entry = e.extra
    s = dp(52)
    x, y = b.x1 + (b.width - s) // 2, b.y1 + dp(8)
    if not entry.icon.transparent:
        D.rounded(img, Box(x, y, x + s, y + s), dp(14), fill=entry.icon.color)
        if entry.icon.symbol:
            D.icon(img, entry.icon.symbol, x + dp(12), y + dp(12), s - dp(24), _WHITE)
        elif entry.icon.glyph:
            g = entry.icon.glyph[:2]
            size = dp(24 if len(g) == 1 else 18)
            gw = text_width(g, size, True)
            D.text(img, x + (s - gw) // 2, y + (s - line_height(size)) // 2, g, size, _WHITE,
                   True)
    ly = y + s + dp(6)
    lw = text_width(e.lines[0], e.font_px) if e.lines else 0
    lx = b.x1 + (b.width - lw) // 2
    if e.lines:
        D.text(img, lx + 1, ly + 1, e.lines[0], e.font_px, (40, 40, 40))
        D.text(img, lx, ly, e.lines[0], e.font_px, _WHITE)


def _clipped(img: Image.Image, r: _R, elements: tuple[Element, ...], clip: Box) -> None:
    """Draw elements, keeping only what falls inside ``clip``."""
    if clip.empty:
        return
    if all(_inside(e.box, clip) for e in elements):
        for e in elements:
            _draw(img, r, e)
        return
    tmp = img.crop((clip.x1, clip.y1, clip.x2, clip.y2))
    shifted = Image.new("RGB", img.size)
    shifted.paste(tmp, (clip.x1, clip.y1))
    for e in elements:
        _draw(shifted, r, e)
    img.paste(shifted.crop((clip.x1, clip.y1, clip.x2, clip.y2)), (clip.x1, clip.y1))


def _inside(b: Box, clip: Box) -> bool:
    return b.x1 >= clip.x1 and b.y1 >= clip.y1 and b.x2 <= clip.x2 and b.y2 <= clip.y2


def render_screen(app: App, lay: ScreenLayout, clock: str, wallpaper: bool = False) -> Image.Image:
    """A full (non-dialog) screen: content, app bar, tab bar, status bar, navigation bar."""
    r = _R(app, lay)
    W, H = lay.size.width, lay.size.height
    if wallpaper:
        img = D.vgradient(W, H, (38, 70, 120), (120, 60, 110))
    else:
        img = Image.new("RGB", (W, H), D.rgb(lay.background))
    _clipped(img, r, lay.elements, lay.viewport)
    if lay.app_bar is not None:
        ab = lay.app_bar
        bar = app_bar_color(app.theme)
        fg = D.rgb(app.theme.app_bar_text or (app.theme.on_primary if app.theme.app_bar is None
                                                else app.theme.text))
        img.paste(bar, (ab.x1, ab.y1, ab.x2, ab.y2))
        if D.luminance(bar) > 200:
            img.paste(D.rgb(app.theme.divider), (ab.x1, ab.y2 - 1, ab.x2, ab.y2))
        else:
            for k in range(r.dp(3)):
                img.paste(D.mix(D.rgb(lay.background), (0, 0, 0), 0.12 - 0.04 * k),
                          (ab.x1, ab.y2 + k, ab.x2, ab.y2 + k + 1))
        if lay.nav_up is not None:
            s = r.dp(24)
            cx, cy = lay.nav_up.center
            D.icon(img, "arrow_back", cx - s // 2, cy - s // 2, s, fg)
        tx = r.dp(72 if lay.nav_up is not None else 16)
        size = r.dp(20)
        D.text(img, tx, ab.y1 + (ab.height - line_height(size)) // 2, lay.title_lines[0], size,
               fg, True)
    if lay.tab_bar is not None:
        tb = lay.tab_bar
        img.paste((255, 255, 255), (tb.x1, tb.y1, tb.x2, tb.y2))
        img.paste(D.rgb(app.theme.divider), (tb.x1, tb.y1, tb.x2, tb.y1 + 1))
        for tab in lay.tabs:
            color = D.rgb(app.theme.primary) if tab.selected else D.rgb(app.theme.secondary_text)
            s, size = r.dp(24), r.dp(12)
            cx = tab.box.center[0]
            if tab.icon:
                D.icon(img, tab.icon, cx - s // 2, tab.box.y1 + r.dp(7), s, color)
            lw = text_width(tab.text, size)
            D.text(img, cx - lw // 2, tab.box.y1 + r.dp(33), tab.text, size, color)
    draw_status_bar(img, lay.status_bar, status_bar_color(app, lay), clock, r.density)
    draw_nav_bar(img, lay.nav_bar, r.density)
    return img


def render_dialog(app: App, lay: ScreenLayout, under: Image.Image, clock: str) -> Image.Image:
    """A dialog card over a dimmed copy of the screen below.

    The scrim darkens the app window only: the system bars stay bright, as on a phone.
    """
    r = _R(app, lay)
    img = D.dim(under, SCRIM)
    sb = lay.status_bar
    draw_status_bar(img, sb, tuple(int(v) for v in img.getpixel((sb.x2 // 2, sb.y2 - 1))),
                     clock, r.density)
    draw_nav_bar(img, lay.nav_bar, r.density)
    assert lay.dialog is not None
    card = lay.dialog
    D.rounded(img, Box(card.x1, card.y1 + r.dp(2), card.x2, card.y2 + r.dp(3)), r.dp(16),
              fill=(0, 0, 0, 40))
    D.rounded(img, card, r.dp(16), fill=lay.background)
    titles = tuple(e for e in lay.elements if e.role is Role.DIALOG_TITLE)
    for e in titles:
        _draw(img, r, e)
    _clipped(img, r, tuple(e for e in lay.elements if e.role is not Role.DIALOG_TITLE),
             lay.viewport)
    return img
