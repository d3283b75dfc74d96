"""Modal overlays from pixels: a bright card over a dimmed screen (dialog or bottom sheet).

Android draws a dialog as a card over a scrim (the screen below darkened, typically black at
32-60 % alpha). Measured here without a hierarchy, so it works on plain screenshots:

1. flood-fill flat regions from a grid of seeds on a 360-px-wide copy of the screen;
2. keep near-rectangular regions (rounded corners allowed) sized like a dialog card
   (centred, 45-97 % of the width) or a bottom sheet (full width, resting on the bottom);
3. call it modal when everything outside the card (status and navigation bars excluded) is
   dimmed: the outside's 90th-percentile luminance is at most ``SCRIM_RATIO`` of the card's,
   and so is its 90th-percentile brightest channel. A scrim scales every channel down; a
   saturated banner or app bar (orange, purple) has low luminance but a bright channel, so a
   white page below a colourful header is not mistaken for a bottom sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import cv2
import numpy as np

from darkscan.geometry import Box

WORK_SIDE = 360          # the short side of the working copy, pixels
SCRIM_RATIO = 0.75       # outside p90 luminance <= this x card luminance
MIN_CARD_LUMINANCE = 110  # darker cards cannot be told from a dimmed page
RECTANGULARITY = 0.93    # region area (holes filled) / its bounding-box area
_FLAT_TOL = 4            # flood-fill colour tolerance per channel (0..255)


class ModalKind(str, Enum):
    DIALOG = "dialog"
    BOTTOM_SHEET = "bottom_sheet"


@dataclass(frozen=True)
class Modal:
    """A card drawn over a scrim. ``box`` in pixels of the input image."""

    box: Box
    kind: ModalKind
    card_luminance: float
    outside_p90: float

    @property
    def dimming(self) -> float:
        """How much darker the outside is than the card (0 = not at all, 1 = black)."""
        return 1.0 - self.outside_p90 / max(self.card_luminance, 1.0)

    def to_evidence(self) -> dict[str, object]:
        return {"modal": self.kind.value, "card_box": self.box.as_list(),
                "card_luminance": round(self.card_luminance), "outside_p90": round(self.outside_p90),
                "dimming": round(self.dimming, 2)}


def _luminance(rgb: np.ndarray) -> np.ndarray:
    f = rgb.astype(np.float32)
    return 0.299 * f[..., 0] + 0.587 * f[..., 1] + 0.114 * f[..., 2]


@dataclass(frozen=True)
class _Region:
    x1: int
    y1: int
    x2: int
    y2: int
    rectangularity: float
    luminance: float
    value: float   # brightest channel at the seed


def _flat_regions(small: np.ndarray) -> list[_Region]:
    h, w = small.shape[:2]
    seen = np.zeros((h + 2, w + 2), np.uint8)
    lum = _luminance(small)
    out: list[_Region] = []
    tol = (_FLAT_TOL,) * 3
    for fy in np.linspace(0.08, 0.92, 15):
        for fx in np.linspace(0.08, 0.92, 9):
            x, y = int(fx * (w - 1)), int(fy * (h - 1))
            if seen[y + 1, x + 1]:
                continue
            mask = np.zeros((h + 2, w + 2), np.uint8)
            cv2.floodFill(small, mask, (x, y), (0, 0, 0), tol, tol,
                          flags=4 | cv2.FLOODFILL_MASK_ONLY | (255 << 8))
            seen |= mask
            m = mask[1:-1, 1:-1]
            if int(np.count_nonzero(m)) < 0.03 * h * w:
                continue
            contours, _ = cv2.findContours(m, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
            c = max(contours, key=cv2.contourArea)
            bx, by, bw, bh = cv2.boundingRect(c)
            rect = float(cv2.contourArea(c)) / float(max(1, bw * bh))
            out.append(_Region(bx, by, bx + bw, by + bh, rect, float(lum[y, x]),
                               float(small[y, x].max())))
    return out


def find_modals(image: np.ndarray) -> list[Modal]:
    """Dialog cards and bottom sheets over a scrim in an RGB screenshot, largest first."""
    H, W = image.shape[:2]
    if H < 32 or W < 32:
        return []
    scale = WORK_SIDE / min(W, H)
    small = cv2.resize(np.ascontiguousarray(image), (max(1, round(W * scale)),
                                                     max(1, round(H * scale))),
                       interpolation=cv2.INTER_AREA)
    h, w = small.shape[:2]
    lum = _luminance(small)
    val = small.max(axis=2)
    found: list[Modal] = []
    for r in _flat_regions(small):
        if r.rectangularity < RECTANGULARITY or r.luminance < MIN_CARD_LUMINANCE:
            continue
        wf, hf = (r.x2 - r.x1) / w, (r.y2 - r.y1) / h
        cx = (r.x1 + r.x2) / 2 / w
        if 0.45 <= wf <= 0.97 and abs(cx - 0.5) <= 0.05 and 0.07 <= hf <= 0.85:
            kind = ModalKind.DIALOG
        elif wf > 0.97 and r.y2 >= 0.88 * h and r.y1 >= 0.25 * h and hf >= 0.1:
            kind = ModalKind.BOTTOM_SHEET
        else:
            continue
        outside = np.ones((h, w), bool)
        outside[max(0, r.y1 - 3):r.y2 + 3, max(0, r.x1 - 3):r.x2 + 3] = False
        outside[: int(0.04 * h)] = False   # status bar: not dimmed on many devices
        outside[int(0.94 * h):] = False    # navigation bar
        if np.count_nonzero(outside) < 0.05 * h * w:
            continue
        p90 = float(np.percentile(lum[outside], 90))
        if p90 > SCRIM_RATIO * r.luminance or (
                float(np.percentile(val[outside], 90)) > SCRIM_RATIO * r.value):
            continue
        box = Box(int(r.x1 / scale), int(r.y1 / scale), int(np.ceil(r.x2 / scale)),
                  int(np.ceil(r.y2 / scale))).clip(W, H)
        found.append(Modal(box, kind, r.luminance, p90))
    found.sort(key=lambda m: -m.box.area)
    # Nested candidates (a card inside a card): keep the outermost.
    kept: list[Modal] = []
    for m in found:
        if not any(k.box.intersection(m.box).area >= 0.9 * m.box.area for k in kept):
            kept.append(m)
    return kept


# ---------------------------------------------------------------------------------------------
# Blocks: how much of the screen the thing around a control covers
# ---------------------------------------------------------------------------------------------

# A pixel belongs to a block when it is this far (RGB) from the page colour.
PAGE_DISTANCE = 24.0
# A screen whose most common colour covers less than this share has no plain page.
MIN_PAGE_SHARE = 0.4
# Bars at the top / bottom that are no part of the app's layout (fractions of the height).
STATUS_BAR, NAV_BAR = 0.04, 0.94


def _small(image: np.ndarray) -> tuple[np.ndarray, float]:
    H, W = image.shape[:2]
    scale = min(1.0, WORK_SIDE / min(W, H))
    small = cv2.resize(np.ascontiguousarray(image), (max(1, round(W * scale)),
                                                     max(1, round(H * scale))),
                       interpolation=cv2.INTER_AREA)
    return small, scale


def page_colour(image: np.ndarray) -> tuple[int, int, int]:
    """The colour most of the app's area is drawn in (bars excluded)."""
    from darkscan.vision.measure import dominant_colour

    h = image.shape[0]
    return dominant_colour(image[int(STATUS_BAR * h):int(NAV_BAR * h)])


def block_around(image: np.ndarray, box: Box) -> Box:
    """The block a control sits in: the connected region around ``box`` that is not the page
    colour (a banner, a card, full-bleed artwork), small gaps closed; the whole app area when
    no colour covers ``MIN_PAGE_SHARE`` of it (a photo or gradient behind everything). ``box``
    itself when it sits on the bare page (a text button on white)."""
    H, W = image.shape[:2]
    small, scale = _small(image)
    h, w = small.shape[:2]
    page = np.asarray(page_colour(small), np.int32)
    mask = (np.sqrt(((small.astype(np.int32) - page) ** 2).sum(axis=2)) > PAGE_DISTANCE)
    app = mask[int(STATUS_BAR * h):int(NAV_BAR * h)]
    if app.size and float(app.mean()) > 1 - MIN_PAGE_SHARE:
        # no plain page at all (a photo, a gradient): the artwork is the whole screen
        return Box(0, int(STATUS_BAR * H), W, int(NAV_BAR * H))
    mask[: int(STATUS_BAR * h)] = False
    mask[int(NAV_BAR * h):] = False
    k = max(3, int(0.02 * w))
    mask = cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    _n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=4)
    sb = Box(int(box.x1 * scale), int(box.y1 * scale), int(np.ceil(box.x2 * scale)),
             int(np.ceil(box.y2 * scale))).clip(w, h)
    ids = set(np.unique(labels[sb.y1:sb.y2, sb.x1:sb.x2]).tolist()) - {0}
    if not ids:
        return box
    best = max(ids, key=lambda i: stats[i][4])
    x, y, bw, bh, _ = stats[best]
    return Box(int(x / scale), int(y / scale), int(np.ceil((x + bw) / scale)),
               int(np.ceil((y + bh) / scale))).clip(W, H).union(box)


def is_banner(block: Box, width: int, height: int) -> bool:
    """A strip across the screen at its top or bottom edge, at most 30 % of its height: a
    banner (ad or promotion) beside the page's content, not a screen of its own."""
    top, bottom = STATUS_BAR * height, NAV_BAR * height
    at_edge = block.y1 <= top + 0.12 * height or block.y2 >= bottom - 0.12 * height
    return (block.width >= 0.8 * width and block.height <= 0.3 * height and at_edge)


def cover(block: Box, width: int, height: int) -> float:
    """Share of the app's area (bars excluded) a block covers."""
    area = width * (NAV_BAR - STATUS_BAR) * height
    inner = block.intersection(Box(0, int(STATUS_BAR * height), width, int(NAV_BAR * height)))
    return inner.area / area if area else 0.0
