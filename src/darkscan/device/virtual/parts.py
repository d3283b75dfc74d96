"""Sub-boxes of compound widgets (label, subtitle, control, icon, value, chevron), shared by the
renderer and the XML so child bounds match what is drawn."""

from __future__ import annotations

from dataclasses import dataclass

from darkscan.device.virtual.layout import Element, Role
from darkscan.device.virtual.textwrap import line_height, text_width, wrap
from darkscan.geometry import Box


@dataclass(frozen=True)
class Parts:
    """Sub-boxes of a compound element (label, subtitle, control, icon, value, chevron)."""

    label: Box
    sub: Box | None = None
    sub_lines: tuple[str, ...] = ()
    control: Box | None = None
    icon: Box | None = None
    value: Box | None = None
    chevron: Box | None = None


def parts(e: Element, density: float) -> Parts:
    """Where a checkbox / radio / switch / row draws its label, control and decorations."""

    def dp(v: float) -> int:
        return int(round(v * density))

    b = e.box
    lh = line_height(e.font_px)
    label_w = max((text_width(s, e.font_px, e.bold) for s in e.lines), default=0)
    if e.role in (Role.CHECKBOX, Role.RADIO, Role.SWITCH):
        x = b.x1 + dp(16 if e.role is Role.SWITCH else 52)
        width = (b.x2 - dp(16 + 52 + 16) if e.role is Role.SWITCH else b.x2 - dp(16)) - x
        sub_px = dp(13)
        sub_lines = wrap(e.subtitle, sub_px, False, max(1, width)) if e.subtitle else ()
        h = len(e.lines) * lh + len(sub_lines) * line_height(sub_px)
        y = b.y1 + (b.height - h) // 2
        label = Box(x, y, x + label_w, y + len(e.lines) * lh)
        sub = None
        if sub_lines:
            sw = max(text_width(s, sub_px, False) for s in sub_lines)
            sub = Box(x, label.y2, x + sw, label.y2 + len(sub_lines) * line_height(sub_px))
        if e.role is Role.SWITCH:
            tw, th = dp(52), dp(32)
            tx, ty = b.x2 - dp(16) - tw, b.y1 + (b.height - th) // 2
            control = Box(tx, ty, tx + tw, ty + th)
        else:
            s = dp(18 if e.role is Role.CHECKBOX else 20)
            cx = b.x1 + dp(17 if e.role is Role.CHECKBOX else 16)
            cy = (b.y1 + (b.height - s) // 2 if len(e.lines) <= 1 and not sub_lines
                  else label.y1 + (lh - s) // 2)
            control = Box(cx, cy, cx + s, cy + s)
        return Parts(label, sub, sub_lines, control)
    if e.role is Role.ROW:
        x = b.x1 + dp(72 if e.icon else 16)
        sub_px = dp(13)
        h = lh + (line_height(sub_px) if e.subtitle else 0)
        y = b.y1 + (b.height - h) // 2
        label = Box(x, y, x + label_w, y + lh)
        sub = None
        if e.subtitle:
            sub = Box(x, y + lh, x + text_width(e.subtitle, sub_px, False),
                      y + lh + line_height(sub_px))
        icon = None
        if e.icon:
            s = dp(24)
            icon = Box(b.x1 + dp(16), b.y1 + (b.height - s) // 2, b.x1 + dp(40),
                       b.y1 + (b.height - s) // 2 + s)
        chevron = None
        right = b.x2 - dp(16)
        w = e.widget
        if w is not None and w.chevron:
            s = dp(24)
            chevron = Box(b.x2 - dp(36), b.y1 + (b.height - s) // 2, b.x2 - dp(12),
                          b.y1 + (b.height - s) // 2 + s)
            right = b.x2 - dp(40)
        value = None
        if w is not None and w.value:
            vpx = dp(14)
            vy = b.y1 + (b.height - line_height(vpx)) // 2
            value = Box(right - text_width(w.value, vpx, False), vy, right, vy + line_height(vpx))
        return Parts(label, sub, (e.subtitle,) if e.subtitle else (), None, icon, value, chevron)
    return Parts(b)
