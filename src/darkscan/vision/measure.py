"""Pixel measurements: WCAG contrast, foreground/background colours, glyph ink and line height.

Everything works on RGB uint8 arrays and pixel :class:`~darkscan.geometry.Box` es. The
foreground/background split is a two-class problem per box: the background is the colour of
the box's border ring (UI text sits on a flat local background), ink is what differs from it.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass

import cv2
import numpy as np

from darkscan.geometry import Box

RGB = tuple[int, int, int]

# A pixel is ink when it is this far (Euclidean, 0..441) from the local background colour.
INK_DISTANCE = 40.0


def relative_luminance(rgb: RGB | np.ndarray) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    c = np.asarray(rgb, dtype=np.float64) / 255.0
    lin = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2])


def contrast_ratio(a: RGB | np.ndarray, b: RGB | np.ndarray) -> float:
    """WCAG 2 contrast ratio (1..21) between two colours."""
    la, lb = relative_luminance(a), relative_luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def saturation(rgb: RGB) -> float:
    """HSV saturation 0..1 (0 for greys)."""
    r, g, b = (v / 255.0 for v in rgb)
    return colorsys.rgb_to_hsv(r, g, b)[1]


def _as_rgb(c: np.ndarray) -> RGB:
    return (int(c[0]), int(c[1]), int(c[2]))


def border_colour(image: np.ndarray, box: Box, ring: int = 2) -> RGB:
    """Median colour of the ``ring``-pixel border just inside ``box`` (its local background)."""
    h, w = image.shape[:2]
    b = box.clip(w, h)
    if b.empty:
        return (255, 255, 255)
    crop = image[b.y1:b.y2, b.x1:b.x2]
    r = max(1, min(ring, crop.shape[0] // 2, crop.shape[1] // 2))
    edge = np.concatenate([
        crop[:r].reshape(-1, 3), crop[-r:].reshape(-1, 3),
        crop[:, :r].reshape(-1, 3), crop[:, -r:].reshape(-1, 3),
    ])
    return _as_rgb(np.median(edge, axis=0))


def dominant_colour(pixels: np.ndarray) -> RGB:
    """The most frequent colour (quantised to 8 levels per channel, then averaged exactly)."""
    px = pixels.reshape(-1, 3)
    if len(px) == 0:
        return (255, 255, 255)
    q = (px // 32).astype(np.int32)
    keys = q[:, 0] * 64 + q[:, 1] * 8 + q[:, 2]
    top = np.bincount(keys).argmax()
    return _as_rgb(np.median(px[keys == top], axis=0))


@dataclass(frozen=True)
class Ink:
    """The glyphs inside a box: where they are, how tall a line is, and their colours."""

    box: Box                   # tight box around the ink, image pixels
    line_height: float         # median height of ink line bands, pixels
    lines: int
    core_height: float         # median densest-run height per band (x-height for Latin)
    fg: RGB
    bg: RGB
    contrast: float
    ink_ratio: float           # ink pixels / box pixels


def ink(image: np.ndarray, box: Box, *, bg: RGB | None = None) -> Ink | None:
    """Find the glyph ink inside ``box`` against its local background; None if there is none.

    Ink blobs touching the box border (rounded-corner remnants, neighbouring widgets, dividers)
    are ignored, so a node box that includes a button's fill still yields the label's ink.
    """
    h, w = image.shape[:2]
    b = box.clip(w, h)
    if b.width < 3 or b.height < 3:
        return None
    crop = image[b.y1:b.y2, b.x1:b.x2].astype(np.int32)
    back = np.asarray(bg if bg is not None else border_colour(image, b), dtype=np.int32)
    dist = np.sqrt(((crop - back) ** 2).sum(axis=2))
    mask = (dist > INK_DISTANCE).astype(np.uint8)
    if not mask.any():
        return None
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    ch, cw = mask.shape
    keep = np.zeros(n, dtype=bool)
    for i in range(1, n):
        x, y, bw, bh, _area = stats[i]
        touches = x == 0 or y == 0 or x + bw >= cw or y + bh >= ch
        # a blob spanning the whole box is a fill / frame, not a glyph
        if not touches and not (bw >= cw - 2 and bh >= ch - 2):
            keep[i] = True
    for i in range(1, n):
        x, y, bw, bh, area = stats[i]
        if keep[i] and bw >= cw * 0.8 and bh >= ch * 0.5 and area >= 0.4 * bw * bh:
            # a filled shape (a button inset inside its node bounds): the label is inside it
            inner = Box(b.x1 + int(x), b.y1 + int(y), b.x1 + int(x + bw), b.y1 + int(y + bh))
            if bg is None:
                return ink(image, inner, bg=fill_of(image, inner))
    if not keep.any():
        # text can legitimately touch a tight OCR box; fall back to all ink but frame-like blobs
        for i in range(1, n):
            x, y, bw, bh, _area = stats[i]
            keep[i] = not (bw >= cw * 0.95 and bh >= ch * 0.95)
        if not keep.any():
            return None
    m = keep[labels]
    ys, xs = np.nonzero(m)
    inkbox = Box(b.x1 + int(xs.min()), b.y1 + int(ys.min()),
                 b.x1 + int(xs.max()) + 1, b.y1 + int(ys.max()) + 1)
    line_h, lines, core_h = _line_height(m)
    ink_px = crop[m]
    d = dist[m]
    # the glyph core: the most distinct half of the ink (edges are anti-aliased blends)
    core = ink_px[d >= np.percentile(d, 50)]
    fg = _as_rgb(np.median(core, axis=0))
    bgc = _as_rgb(back)
    return Ink(inkbox, line_h, lines, core_h, fg, bgc, contrast_ratio(fg, bgc),
               float(m.sum()) / float(m.size))


def _line_height(mask: np.ndarray) -> tuple[float, int, float]:
    """(median band height, bands, median core height) of the horizontal ink bands (lines).

    A band allows 1-px gaps. The core of a band is its densest run of rows (>= 35 % of the
    band's busiest row): the x-height for lower-case Latin, about the whole glyph for CJK.
    """
    rows = mask.sum(axis=1)
    on_rows = rows > 0
    spans: list[tuple[int, int]] = []
    start = None
    gap = 0
    for i, on in enumerate(on_rows):
        if on:
            if start is None:
                start = i
            gap = 0
        elif start is not None:
            gap += 1
            if gap > 1:
                spans.append((start, i - gap + 1))
                start, gap = None, 0
    if start is not None:
        spans.append((start, len(on_rows) - gap))
    if not spans:
        return 0.0, 0, 0.0
    tall = max(e - s for s, e in spans)
    # drop specks (punctuation-only bands) under a third of the tallest band
    real = [(s, e) for s, e in spans if e - s >= tall / 3]
    cores = []
    for s, e in real:
        prof = rows[s:e]
        dense = prof >= 0.35 * prof.max()
        best = cur = 0
        for d in dense:
            cur = cur + 1 if d else 0
            best = max(best, cur)
        cores.append(best)
    return float(np.median([e - s for s, e in real])), len(real), float(np.median(cores))


def region_is_blank(image: np.ndarray, box: Box, tol: float = 6.0) -> bool:
    """True when ``box`` is a flat colour (nothing worth OCR-ing)."""
    h, w = image.shape[:2]
    b = box.clip(w, h)
    if b.empty:
        return True
    crop = image[b.y1:b.y2, b.x1:b.x2]
    return float(crop.reshape(-1, 3).std(axis=0).max()) < tol


def fill_of(image: np.ndarray, box: Box) -> RGB:
    """The dominant colour inside ``box`` (a button's fill, ignoring its label)."""
    h, w = image.shape[:2]
    b = box.clip(w, h)
    if b.empty:
        return (255, 255, 255)
    # inset away from rounded corners
    ix, iy = b.width // 6, b.height // 6
    inner = image[b.y1 + iy:b.y2 - iy or b.y2, b.x1 + ix:b.x2 - ix or b.x2]
    return dominant_colour(inner if inner.size else image[b.y1:b.y2, b.x1:b.x2])


def surround_colour(image: np.ndarray, box: Box, margin: int = 6) -> RGB:
    """The dominant colour in a ring just outside ``box`` (what the control sits on)."""
    h, w = image.shape[:2]
    outer = Box(box.x1 - margin, box.y1 - margin, box.x2 + margin, box.y2 + margin).clip(w, h)
    crop = image[outer.y1:outer.y2, outer.x1:outer.x2]
    mask = np.ones(crop.shape[:2], dtype=bool)
    inner = box.clip(w, h)
    mask[inner.y1 - outer.y1:inner.y2 - outer.y1, inner.x1 - outer.x1:inner.x2 - outer.x1] = False
    px = crop[mask]
    return dominant_colour(px) if len(px) else (255, 255, 255)


def _is_cjk(ch: str) -> bool:
    return "\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" or "\uf900" <= ch <= "\ufaff"


def em_size(text: str, found: Ink) -> float:
    """Estimated font size (em) in pixels from a text's glyph ink, comparable across scripts.

    CJK glyph ink spans ~1 em (anti-aliasing included); lower-case Latin is measured by its x-height (~0.53 em in Roboto /
    Noto Sans), caps and digits by cap height (~0.71 em). Raw ink height of Latin would vary
    with ascenders and descenders (``cancel`` vs ``Typography``).
    """
    chars = [c for c in text if not c.isspace()]
    if not chars or found.line_height <= 0:
        return found.line_height
    cjk = sum(1 for c in chars if _is_cjk(c))
    if cjk:  # the CJK glyphs set the band height; digits and Latin sit inside it
        return found.line_height / 1.0
    lower = sum(1 for c in chars if c.isalpha() and c.islower())
    if lower >= 3 and found.core_height > 0:
        return found.core_height / 0.53
    return found.line_height / 0.71


def strip_control(image: np.ndarray, box: Box, found: Ink, *, right: bool = False,
                  min_gap: int = 4) -> Ink:
    """Drop a checkbox/radio/switch glyph at either end of a checkable node's ink.

    A control is a square-ish column run of ink at the left end (checkbox, radio) or a
    pill-shaped one (1.4-3x as wide as tall) at the right end (``right``: a switch), separated from the label by a gap of >= ``min_gap`` empty columns.
    Returns the label's ink (``found`` itself when no control is seen).
    """
    h, w = image.shape[:2]
    b = found.box.clip(w, h)
    crop = image[b.y1:b.y2, b.x1:b.x2].astype(np.int32)
    back = np.asarray(found.bg, dtype=np.int32)
    cols = (np.sqrt(((crop - back) ** 2).sum(axis=2)) > INK_DISTANCE).any(axis=0)
    runs: list[tuple[int, int]] = []
    start = None
    for i, on in enumerate(cols):
        if on and start is None:
            start = i
        elif not on and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(cols)))
    if len(runs) < 2:
        return found
    # merge runs separated by small gaps (letters of a word)
    merged = [runs[0]]
    for s, e in runs[1:]:
        if s - merged[-1][1] < min_gap:
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    if len(merged) < 2:
        return found
    height = b.height
    x1, x2 = b.x1, b.x2
    pad = min_gap // 2  # stay inside the gap: ink() ignores blobs touching the box edge
    if not right:
        ls, le = merged[0]
        if 0.6 * height <= le - ls <= 1.6 * height and le - ls < 0.4 * b.width:
            x1 = b.x1 + merged[1][0] - pad
    else:
        rs, re_ = merged[-1]
        if 1.4 * height <= re_ - rs <= 3.0 * height and re_ - rs < 0.4 * b.width:
            x2 = b.x1 + merged[-2][1] + pad
    if (x1, x2) == (b.x1, b.x2):
        return found
    again = ink(image, Box(x1, box.y1, x2, box.y2).clip(w, h), bg=found.bg)
    return again if again is not None else found


def has_outline(image: np.ndarray, box: Box, *, max_inset: int = 8,
                distance: float = INK_DISTANCE) -> bool:
    """True when ``box`` is drawn as an outlined container (an outlined button): a line unlike
    the fill runs along the middle of both its top and bottom edges, within ``max_inset`` px.

    Only the middle 40% of each edge is read (rounded corners), and a row counts as a line
    when >= 85% of its pixels there differ from the fill: glyph strokes do not do that.
    """
    h, w = image.shape[:2]
    b = box.clip(w, h)
    if b.width < 8 or b.height < 8:
        return False
    fill = np.asarray(fill_of(image, b), np.int32)
    x1, x2 = b.x1 + int(b.width * 0.3), b.x2 - int(b.width * 0.3)
    reach = max(1, min(max_inset, b.height // 4))

    def line_in(rows: range) -> bool:
        for y in rows:
            px = image[y, x1:x2].astype(np.int32)
            if len(px) and (np.sqrt(((px - fill) ** 2).sum(axis=1)) > distance).mean() >= 0.85:
                return True
        return False

    return (line_in(range(b.y1, b.y1 + reach))
            and line_in(range(b.y2 - 1, b.y2 - 1 - reach, -1)))


def colour_distance(a: RGB, b: RGB) -> float:
    """Euclidean RGB distance (0..441)."""
    return float(np.sqrt(sum((int(x) - int(y)) ** 2 for x, y in zip(a, b))))
