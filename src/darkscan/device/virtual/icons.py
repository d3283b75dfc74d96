"""Simple Material-like icons drawn as anti-aliased masks (4x supersampled, then reduced)."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache

from PIL import Image, ImageDraw

_SS = 4  # supersampling factor
Draw = Callable[[ImageDraw.ImageDraw, float], None]  # (draw, unit) on a 24-unit grid
_ICONS: dict[str, Draw] = {}


def _icon(name: str) -> Callable[[Draw], Draw]:
    def register(fn: Draw) -> Draw:
        _ICONS[name] = fn
        return fn

    return register


def _pts(u: float, *xy: float) -> list[tuple[float, float]]:
    return [(xy[i] * u, xy[i + 1] * u) for i in range(0, len(xy), 2)]


def _box(u: float, x1: float, y1: float, x2: float, y2: float) -> list[float]:
    return [x1 * u, y1 * u, x2 * u, y2 * u]


@_icon("home")
def _home(d: ImageDraw.ImageDraw, u: float) -> None:
    d.polygon(_pts(u, 12, 3, 2, 12, 5, 12, 5, 21, 10, 21, 10, 15, 14, 15, 14, 21, 19, 21, 19, 12,
                   22, 12), fill=255)


@_icon("search")
def _search(d: ImageDraw.ImageDraw, u: float) -> None:
    d.ellipse(_box(u, 3, 3, 16, 16), outline=255, width=int(2.4 * u))
    d.line(_pts(u, 14, 14, 21, 21), fill=255, width=int(2.8 * u))


@_icon("user")
def _user(d: ImageDraw.ImageDraw, u: float) -> None:
    d.ellipse(_box(u, 7.5, 3, 16.5, 12), fill=255)
    d.chord(_box(u, 3, 13, 21, 31), 180, 360, fill=255)


@_icon("settings")
def _settings(d: ImageDraw.ImageDraw, u: float) -> None:
    for k in range(8):
        a = k * math.pi / 4
        cx, cy = 12 + 8.2 * math.cos(a), 12 + 8.2 * math.sin(a)
        d.ellipse(_box(u, cx - 2.4, cy - 2.4, cx + 2.4, cy + 2.4), fill=255)
    d.ellipse(_box(u, 4.5, 4.5, 19.5, 19.5), fill=255)
    d.ellipse(_box(u, 9, 9, 15, 15), fill=0)


@_icon("star")
def _star(d: ImageDraw.ImageDraw, u: float) -> None:
    pts = []
    for k in range(10):
        r = 10 if k % 2 == 0 else 4.2
        a = -math.pi / 2 + k * math.pi / 5
        pts += [12 + r * math.cos(a), 12.8 + r * math.sin(a)]
    d.polygon(_pts(u, *pts), fill=255)


@_icon("bell")
def _bell(d: ImageDraw.ImageDraw, u: float) -> None:
    d.chord(_box(u, 5, 3, 19, 17), 180, 360, fill=255)
    d.polygon(_pts(u, 5, 10, 19, 10, 20, 17, 4, 17), fill=255)
    d.rectangle(_box(u, 3, 17, 21, 19), fill=255)
    d.ellipse(_box(u, 10, 19, 14, 23), fill=255)


@_icon("lock")
def _lock(d: ImageDraw.ImageDraw, u: float) -> None:
    d.arc(_box(u, 7, 2, 17, 14), 180, 360, fill=255, width=int(2.2 * u))
    d.line(_pts(u, 8.1, 8, 8.1, 11), fill=255, width=int(2.2 * u))
    d.line(_pts(u, 15.9, 8, 15.9, 11), fill=255, width=int(2.2 * u))
    d.rounded_rectangle(_box(u, 4, 10, 20, 22), radius=2 * u, fill=255)
    d.ellipse(_box(u, 10.5, 14.5, 13.5, 17.5), fill=0)


@_icon("card")
def _card(d: ImageDraw.ImageDraw, u: float) -> None:
    d.rounded_rectangle(_box(u, 2, 5, 22, 19), radius=2 * u, fill=255)
    d.rectangle(_box(u, 2, 8, 22, 11), fill=0)
    d.rectangle(_box(u, 5, 14, 11, 16), fill=0)


@_icon("heart")
def _heart(d: ImageDraw.ImageDraw, u: float) -> None:
    d.ellipse(_box(u, 2, 4, 12.5, 14.5), fill=255)
    d.ellipse(_box(u, 11.5, 4, 22, 14.5), fill=255)
    d.polygon(_pts(u, 2.6, 11.5, 21.4, 11.5, 12, 21.5), fill=255)


@_icon("info")
def _info(d: ImageDraw.ImageDraw, u: float) -> None:
    d.ellipse(_box(u, 2, 2, 22, 22), fill=255)
    d.ellipse(_box(u, 10.8, 6, 13.2, 8.4), fill=0)
    d.rectangle(_box(u, 10.9, 10, 13.1, 18), fill=0)


@_icon("help")
def _help(d: ImageDraw.ImageDraw, u: float) -> None:
    d.ellipse(_box(u, 2, 2, 22, 22), fill=255)
    d.arc(_box(u, 8.5, 5.5, 15.5, 12.5), 180, 90, fill=0, width=int(2 * u))
    d.line(_pts(u, 12, 12.4, 12, 14.5), fill=0, width=int(2 * u))
    d.ellipse(_box(u, 10.8, 16, 13.2, 18.4), fill=0)


@_icon("list")
def _list(d: ImageDraw.ImageDraw, u: float) -> None:
    for y in (6, 12, 18):
        d.ellipse(_box(u, 3, y - 1.3, 5.6, y + 1.3), fill=255)
        d.rectangle(_box(u, 8, y - 1, 21, y + 1), fill=255)


@_icon("trash")
def _trash(d: ImageDraw.ImageDraw, u: float) -> None:
    d.rectangle(_box(u, 4, 5, 20, 7), fill=255)
    d.rectangle(_box(u, 9, 3, 15, 5), fill=255)
    d.polygon(_pts(u, 6, 8, 18, 8, 17, 21, 7, 21), fill=255)


@_icon("shield")
def _shield(d: ImageDraw.ImageDraw, u: float) -> None:
    d.polygon(_pts(u, 12, 2, 20, 5, 20, 11, 17, 18, 12, 22, 7, 18, 4, 11, 4, 5), fill=255)


@_icon("play")
def _play(d: ImageDraw.ImageDraw, u: float) -> None:
    d.ellipse(_box(u, 2, 2, 22, 22), fill=255)
    d.polygon(_pts(u, 10, 7.5, 17, 12, 10, 16.5), fill=0)


@_icon("message")
def _message(d: ImageDraw.ImageDraw, u: float) -> None:
    d.rounded_rectangle(_box(u, 2, 3, 22, 17), radius=3 * u, fill=255)
    d.polygon(_pts(u, 6, 16, 6, 22, 12, 16), fill=255)


@_icon("cart")
def _cart(d: ImageDraw.ImageDraw, u: float) -> None:
    d.line(_pts(u, 1, 3, 4.5, 3, 7, 15, 19, 15), fill=255, width=int(2 * u))
    d.polygon(_pts(u, 5.5, 6, 22, 6, 19.5, 13, 7, 13), fill=255)
    d.ellipse(_box(u, 6.5, 17.5, 10, 21), fill=255)
    d.ellipse(_box(u, 16, 17.5, 19.5, 21), fill=255)


@_icon("gift")
def _gift(d: ImageDraw.ImageDraw, u: float) -> None:
    d.rectangle(_box(u, 3, 8, 21, 12), fill=255)
    d.rectangle(_box(u, 4.5, 13, 19.5, 22), fill=255)
    d.rectangle(_box(u, 11, 8, 13, 22), fill=0)
    d.ellipse(_box(u, 6, 3, 12, 8), outline=255, width=int(1.8 * u))
    d.ellipse(_box(u, 12, 3, 18, 8), outline=255, width=int(1.8 * u))


@_icon("crown")
def _crown(d: ImageDraw.ImageDraw, u: float) -> None:
    d.polygon(_pts(u, 2, 6, 7, 11, 12, 4, 17, 11, 22, 6, 20, 18, 4, 18), fill=255)
    d.rectangle(_box(u, 4, 19.5, 20, 21.5), fill=255)


@_icon("mail")
def _mail(d: ImageDraw.ImageDraw, u: float) -> None:
    d.rounded_rectangle(_box(u, 2, 5, 22, 19), radius=2 * u, fill=255)
    d.line(_pts(u, 3, 6.5, 12, 13, 21, 6.5), fill=0, width=int(1.8 * u))


@_icon("globe")
def _globe(d: ImageDraw.ImageDraw, u: float) -> None:
    w = int(1.8 * u)
    d.ellipse(_box(u, 2, 2, 22, 22), outline=255, width=w)
    d.ellipse(_box(u, 7.5, 2, 16.5, 22), outline=255, width=w)
    d.line(_pts(u, 2, 12, 22, 12), fill=255, width=w)


@_icon("doc")
def _doc(d: ImageDraw.ImageDraw, u: float) -> None:
    d.polygon(_pts(u, 5, 2, 15, 2, 20, 7, 20, 22, 5, 22), fill=255)
    for y in (11, 14.5, 18):
        d.rectangle(_box(u, 8, y - 0.8, 17, y + 0.8), fill=0)


@_icon("wallet")
def _wallet(d: ImageDraw.ImageDraw, u: float) -> None:
    d.rounded_rectangle(_box(u, 2, 5, 21, 20), radius=2.5 * u, fill=255)
    d.rounded_rectangle(_box(u, 13, 10, 23, 15.5), radius=1.5 * u, fill=0)
    d.ellipse(_box(u, 15.5, 11.8, 17.5, 13.8), fill=255)


@_icon("logout")
def _logout(d: ImageDraw.ImageDraw, u: float) -> None:
    w = int(2 * u)
    d.line(_pts(u, 11, 3, 4, 3, 4, 21, 11, 21), fill=255, width=w, joint="curve")
    d.line(_pts(u, 9, 12, 20, 12), fill=255, width=w)
    d.polygon(_pts(u, 16, 7.5, 22, 12, 16, 16.5), fill=255)


@_icon("phone")
def _phone(d: ImageDraw.ImageDraw, u: float) -> None:
    d.rounded_rectangle(_box(u, 6, 1.5, 18, 22.5), radius=2.5 * u, fill=255)
    d.rectangle(_box(u, 7.5, 4.5, 16.5, 18.5), fill=0)


@_icon("grid")
def _grid(d: ImageDraw.ImageDraw, u: float) -> None:
    for x in (3, 13):
        for y in (3, 13):
            d.rounded_rectangle(_box(u, x, y, x + 8, y + 8), radius=1.5 * u, fill=255)


@_icon("chevron_right")
def _chevron(d: ImageDraw.ImageDraw, u: float) -> None:
    d.line(_pts(u, 9, 5.5, 15.5, 12, 9, 18.5), fill=255, width=int(2.2 * u), joint="curve")


@_icon("arrow_back")
def _arrow_back(d: ImageDraw.ImageDraw, u: float) -> None:
    w = int(2.2 * u)
    d.line(_pts(u, 4.5, 12, 20, 12), fill=255, width=w)
    d.line(_pts(u, 11.5, 4.5, 4, 12, 11.5, 19.5), fill=255, width=w, joint="curve")


@_icon("close")
def _close(d: ImageDraw.ImageDraw, u: float) -> None:
    w = int(2.2 * u)
    d.line(_pts(u, 5, 5, 19, 19), fill=255, width=w)
    d.line(_pts(u, 19, 5, 5, 19), fill=255, width=w)


@_icon("more")
def _more(d: ImageDraw.ImageDraw, u: float) -> None:
    for y in (5, 12, 19):
        d.ellipse(_box(u, 10, y - 2, 14, y + 2), fill=255)


@_icon("check")
def _check(d: ImageDraw.ImageDraw, u: float) -> None:
    d.line(_pts(u, 4.5, 12.5, 9.5, 17.5, 19.5, 6.5), fill=255, width=int(2.6 * u),
           joint="curve")


ICON_NAMES: frozenset[str] = frozenset(_ICONS)


@lru_cache(maxsize=512)
def icon_mask(name: str, size_px: int) -> Image.Image:
    """An 'L' mask of the icon at ``size_px`` square (255 = ink)."""
    big = Image.new("L", (size_px * _SS, size_px * _SS), 0)
    _ICONS[name](ImageDraw.Draw(big), size_px * _SS / 24.0)
    return big.resize((size_px, size_px), Image.Resampling.BOX)
