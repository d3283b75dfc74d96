"""Low-level anti-aliased drawing helpers (PIL draws hard edges; we supersample small masks)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PIL import Image, ImageDraw

from darkscan.device.virtual.fonts import font
from darkscan.device.virtual.icons import icon_mask
from darkscan.device.virtual.model import Color
from darkscan.device.virtual.textwrap import one_line
from darkscan.geometry import Box

RGB = tuple[int, int, int]


def rgb(c: Color | RGB) -> RGB:
    return (c[0], c[1], c[2])


def mix(a: Color | RGB, b: Color | RGB, t: float) -> RGB:
    """``a`` blended towards ``b`` by ``t`` (0 = a, 1 = b)."""
    return tuple(int(round(a[i] + (b[i] - a[i]) * t)) for i in range(3))  # type: ignore[return-value]


def over(fg: Color, bg: Color | RGB) -> RGB:
    """An RGBA colour composited over an opaque one."""
    return mix(bg, fg, fg[3] / 255 if len(fg) > 3 else 1.0)


def luminance(c: Color | RGB) -> float:
    return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]


def shade(c: Color | RGB, t: float) -> RGB:
    """Lighter (t > 0, towards white) or darker (t < 0, towards black)."""
    return mix(c, (255, 255, 255), t) if t >= 0 else mix(c, (0, 0, 0), -t)


def paste_mask(img: Image.Image, x: int, y: int, mask: Image.Image, color: Color | RGB,
               alpha: float = 1.0) -> None:
    a = alpha * (color[3] / 255 if len(color) > 3 else 1.0)
    if a < 1.0:
        mask = mask.point(lambda v: int(v * a))
    img.paste(rgb(color), (x, y, x + mask.width, y + mask.height), mask)


def shape_mask(w: int, h: int, draw: Callable[[ImageDraw.ImageDraw, int], None]) -> Image.Image:
    """A w x h 'L' mask drawn at a supersampled scale (``draw(d, scale)``) and reduced."""
    ss = 4 if w * h < 60000 else 2
    big = Image.new("L", (max(1, w * ss), max(1, h * ss)), 0)
    draw(ImageDraw.Draw(big), ss)
    return big.resize((max(1, w), max(1, h)), Image.Resampling.BOX)


def rounded(img: Image.Image, box: Box, radius: float, fill: Color | RGB | None = None,
            outline: Color | RGB | None = None, width: int = 0) -> None:
    """Anti-aliased rounded rectangle (fill and/or outline of ``width`` px)."""
    w, h = box.width, box.height
    if w <= 0 or h <= 0:
        return
    r = max(0.0, min(radius, w / 2, h / 2))
    if fill is not None:
        m = shape_mask(w, h, lambda d, s: d.rounded_rectangle(
            (0, 0, w * s - 1, h * s - 1), radius=r * s, fill=255))
        paste_mask(img, box.x1, box.y1, m, fill)
    if outline is not None and width > 0:
        def ring(d: ImageDraw.ImageDraw, s: int) -> None:
            d.rounded_rectangle((0, 0, w * s - 1, h * s - 1), radius=r * s, fill=255)
            d.rounded_rectangle((width * s, width * s, (w - width) * s - 1, (h - width) * s - 1),
                                radius=max(0.0, (r - width)) * s, fill=0)

        paste_mask(img, box.x1, box.y1, shape_mask(w, h, ring), outline)


def circle(img: Image.Image, cx: float, cy: float, r: float, fill: Color | RGB | None = None,
           outline: Color | RGB | None = None, width: int = 0) -> None:
    x1, y1 = int(cx - r), int(cy - r)
    size = int(2 * r) + 2
    ox, oy = cx - r - x1, cy - r - y1

    def disc(rr: float) -> Callable[[ImageDraw.ImageDraw, int], None]:
        return lambda d, s: d.ellipse(((ox + r - rr) * s, (oy + r - rr) * s,
                                       (ox + r + rr) * s, (oy + r + rr) * s), fill=255)

    if fill is not None:
        paste_mask(img, x1, y1, shape_mask(size, size, disc(r)), fill)
    if outline is not None and width > 0:
        def ring(d: ImageDraw.ImageDraw, s: int) -> None:
            disc(r)(d, s)
            rr = r - width
            d.ellipse(((ox + r - rr) * s, (oy + r - rr) * s, (ox + r + rr) * s,
                       (oy + r + rr) * s), fill=0)

        paste_mask(img, x1, y1, shape_mask(size, size, ring), outline)


def icon(img: Image.Image, name: str, x: int, y: int, size: int, color: Color | RGB) -> None:
    paste_mask(img, x, y, icon_mask(name, size), color)


def text(img: Image.Image, x: float, y: float, s: str, size_px: int, color: Color | RGB,
         bold: bool = False) -> None:
    """Anti-aliased text with its line box's top-left at (x, y)."""
    if s:
        ImageDraw.Draw(img).text((x, y), one_line(s), font=font(size_px, bold),
                                 fill=rgb(color),
                                 anchor="la")


def vgradient(w: int, h: int, top: RGB, bottom: RGB) -> Image.Image:
    t = np.linspace(0.0, 1.0, max(1, h), dtype=np.float32)[:, None, None]
    a = np.array(top, np.float32)[None, None, :]
    b = np.array(bottom, np.float32)[None, None, :]
    arr = np.broadcast_to(a + (b - a) * t, (max(1, h), max(1, w), 3))
    return Image.fromarray(np.ascontiguousarray(arr).astype(np.uint8), "RGB")


def dim(img: Image.Image, amount: float) -> Image.Image:
    """The image darkened as by a black scrim of opacity ``amount``."""
    arr = np.asarray(img, dtype=np.uint16)
    return Image.fromarray((arr * int(round((1 - amount) * 256)) >> 8).astype(np.uint8), "RGB")
