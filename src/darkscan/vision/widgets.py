"""Controls found from pixels alone (OpenCV): filled buttons, checkboxes, radios, switches.

Used when there is no hierarchy (``darkscan scan IMAGE``) or the hierarchy has no node for a
drawn control (WebView, canvas). Shapes are sized in dp so thresholds hold on any density:
Material checkboxes/radios are 18-24 dp, switches ~32-52 x 14-32 dp, buttons 32-64 dp tall.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from darkscan.geometry import Box
from darkscan.vision.measure import INK_DISTANCE, dominant_colour, surround_colour
from darkscan.vision.model import RGB, ScreenText, Source, Toggle, ToggleKind

# A tonal button (#EEEEEE on white) is ~29 away from its surround; flat UI noise is < 12.
BUTTON_FILL_DISTANCE = 12.0


@dataclass(frozen=True)
class Shape:
    box: Box
    kind: str          # "square" | "circle" | "pill" | "rect"
    fill_ratio: float  # contour area / bounding-rect area


def _dist(a: RGB, b: RGB) -> float:
    return math.sqrt(sum((int(x) - int(y)) ** 2 for x, y in zip(a, b)))


def _contours(image: np.ndarray) -> list[np.ndarray]:
    gray = cv2.GaussianBlur(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY), (3, 3), 0)
    # low thresholds: tonal buttons (#EEEEEE on white) differ by ~17 grey levels only
    edges = cv2.Canny(gray, 8, 24)
    edges = cv2.dilate(edges, np.ones((2, 2), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    return list(contours)


def find_shapes(image: np.ndarray, density: float) -> list[Shape]:
    """Closed control-like shapes: squares/circles 12-36 dp, pills, rounded rects >= 28 dp tall."""
    out: list[Shape] = []
    for c in _contours(image):
        x, y, w, h = cv2.boundingRect(c)
        wd, hd = w / density, h / density
        if hd < 10 or wd < 10:
            continue
        area = cv2.contourArea(c)
        rect = float(w * h)
        if rect <= 0:
            continue
        aspect = w / h
        box = Box(x, y, x + w, y + h)
        if area / rect < 0.55:
            # A switch whose thumb overhangs its pale track (Material 2 "on") traces as a
            # ragged outline; its convex hull is still the pill.
            hull = cv2.contourArea(cv2.convexHull(c))
            if 12 <= hd <= 36 and 1.4 <= aspect <= 2.8 and hull / rect >= 0.75:
                out.append(Shape(box, "pill", hull / rect))
            continue
        per = cv2.arcLength(c, True)
        circ = 4 * math.pi * area / (per * per) if per else 0.0
        if 12 <= hd <= 36 and 0.8 <= aspect <= 1.25:
            kind = "circle" if area / rect < 0.84 and circ > 0.75 else "square"
            out.append(Shape(box, kind, area / rect))
            continue
        if 12 <= hd <= 36 and 1.4 <= aspect <= 2.8:
            out.append(Shape(box, "pill", area / rect))
        # a short-label button ("OK", "Accept", 28-36 dp tall) is pill-sized too: keep both
        # readings; a switch has no text inside, a button has its label
        if 28 <= hd <= 72 and aspect >= 1.5 and area / rect >= 0.8:
            out.append(Shape(box, "rect", area / rect))
    return _dedupe(out)


def _dedupe(shapes: list[Shape]) -> list[Shape]:
    """Inner/outer edges of one outline give two contours: keep the outer one."""
    shapes = sorted(shapes, key=lambda s: -s.box.area)
    kept: list[Shape] = []
    for s in shapes:
        if any(k.kind == s.kind and k.box.iou(s.box) > 0.6 for k in kept):
            continue
        kept.append(s)
    return kept


def _inner(image: np.ndarray, box: Box, frac: float) -> np.ndarray:
    dx, dy = int(box.width * frac), int(box.height * frac)
    return image[box.y1 + dy:box.y2 - dy, box.x1 + dx:box.x2 - dx]


def _is_filled(image: np.ndarray, box: Box, frac: float = 0.25,
               distance: float = INK_DISTANCE) -> tuple[bool, RGB]:
    around = surround_colour(image, box, margin=4)
    inner = _inner(image, box, frac)
    if inner.size == 0:
        return False, around
    px = inner.reshape(-1, 3).astype(np.int32)
    far = np.sqrt(((px - np.asarray(around, np.int32)) ** 2).sum(axis=1)) > distance
    return bool(far.mean() > 0.45), dominant_colour(inner)


def _wordy(text: str) -> bool:
    """At least two letters/ideographs: OCR of an icon ("0", "x") is not a label."""
    return sum(1 for c in text if c.isalpha()) >= 2


def _label_for(box: Box, texts: Sequence[ScreenText], width: int, *, left: bool,
               density: float = 1.0) -> ScreenText | None:
    """The text on the same row beside a control: right of a box/radio, left of a switch.

    A checkbox label starts within ~1.5 control widths (or 24 dp); a switch sits at the row's
    far end, so its label may be most of the row away.
    """
    cy = (box.y1 + box.y2) / 2
    best: tuple[float, ScreenText] | None = None
    reach = width * 0.75 if left else max(box.width * 1.5, 24 * density)
    for t in texts:
        if not _wordy(t.text) or not (t.box.y1 - box.height / 2 <= cy <= t.box.y2 + box.height / 2):
            continue
        gap = (box.x1 - t.box.x2) if left else (t.box.x1 - box.x2)
        if -box.width / 2 <= gap <= reach and (best is None or gap < best[0]):
            best = (gap, t)
    return best[1] if best else None


def find_toggles(image: np.ndarray, density: float, texts: Sequence[ScreenText],
                 shapes: Sequence[Shape] | None = None) -> list[Toggle]:
    """Checkboxes / radios (label to their right) and switches (label to their left).

    A shape only counts when text labels it: an unlabelled square is an icon far more often.
    """
    w = image.shape[1]
    toggles: list[Toggle] = []
    for s in (find_shapes(image, density) if shapes is None else shapes):
        if s.kind in ("square", "circle"):
            if any(s.box.overlaps(t.box) for t in texts):
                continue  # part of a glyph (口, O)
            label = _label_for(s.box, texts, w, left=False, density=density)
            if (label is None and s.kind == "square" and s.box.x1 >= 0.6 * w
                    and s.box.height <= TRAILING_BOX_MAX_DP * density
                    and _stands_alone(image, s.box)):
                # a settings row's trailing checkbox: the label is the row's title, on the left
                label = _label_for(s.box, texts, w, left=True, density=density)
            if label is None:
                continue
            if s.kind == "square":
                checked = _is_filled(image, s.box, 0.2)[0] or has_check_mark(image, s.box)
                kind = ToggleKind.CHECKBOX
            else:
                checked, _ = _is_filled(image, s.box, 0.35)  # the inner dot
                kind = ToggleKind.RADIO
            toggles.append(Toggle(kind, s.box, checked, label.text, label.box, Source.PIXELS))
        elif s.kind == "pill":
            if any(s.box.overlaps(t.box) for t in texts):
                continue
            label = _label_for(s.box, texts, w, left=True, density=density)
            if label is None:
                continue
            checked = switch_is_on(image, s.box)
            toggles.append(Toggle(ToggleKind.SWITCH, s.box, checked, label.text, label.box,
                                  Source.PIXELS))
    return _one_per_label(toggles)


# A trailing checkbox is drawn 18-24 dp; a larger square at a row's end is an avatar / icon.
TRAILING_BOX_MAX_DP = 28.0
def _stands_alone(image: np.ndarray, box: Box, margin: int = 3) -> bool:
    """Nothing touches the box: the ring just outside it is the row's flat background (the
    visible end of a switch's track has the thumb against it)."""
    h, w = image.shape[:2]
    outer = Box(box.x1 - margin, box.y1 - margin, box.x2 + margin, box.y2 + margin).clip(w, h)
    crop = image[outer.y1:outer.y2, outer.x1:outer.x2].astype(np.int32)
    mask = np.ones(crop.shape[:2], dtype=bool)
    b = box.clip(w, h)
    mask[b.y1 - outer.y1:b.y2 - outer.y1, b.x1 - outer.x1:b.x2 - outer.x1] = False
    ring = crop[mask]
    if len(ring) == 0:
        return False
    back = np.asarray(surround_colour(image, box, margin=margin), np.int32)
    return bool((np.sqrt(((ring - back) ** 2).sum(axis=1)) <= INK_DISTANCE / 2).mean() >= 0.9)


# RGB standard deviation (per channel) within a tick's core pixels: one colour, anti-aliased.
MARK_COLOUR_SPREAD = 36.0


def has_check_mark(image: np.ndarray, box: Box) -> bool:
    """A tick drawn inside an outlined box (the box itself not filled): inside the border
    stroke, a stroke unlike the box's own interior crosses most of it. An empty box is one
    flat colour inside."""
    h, w = image.shape[:2]
    b = box.clip(w, h)
    inner = _inner(image, b, 0.18)
    if inner.shape[0] < 4 or inner.shape[1] < 4:
        return False
    px = inner.astype(np.int32)
    back = np.asarray(dominant_colour(inner), np.int32)
    mark = np.sqrt(((px - back) ** 2).sum(axis=2)) > INK_DISTANCE
    share = float(mark.mean())
    if not 0.04 <= share <= 0.6:
        return False
    ys, xs = np.nonzero(mark)
    if (xs.max() - xs.min() + 1) < 0.45 * mark.shape[1] or (
            ys.max() - ys.min() + 1) < 0.35 * mark.shape[0]:
        return False
    # a tick is one colour (a photo or an avatar in a square is many)
    dist = np.sqrt(((px - back) ** 2).sum(axis=2))
    core = px[dist >= np.percentile(dist[mark], 60)]  # the stroke, not its anti-aliased rim
    return len(core) > 0 and float(core.std(axis=0).max()) <= MARK_COLOUR_SPREAD


# Pixels this far (RGB) from the row behind a switch belong to the switch.
_SWITCH_INK = 30.0


def switch_is_on(image: np.ndarray, box: Box) -> bool:
    """The state of a switch drawn in ``box`` (the pill found around it).

    Thumb position first: when the thumb is taller than the track (Material 2, many OEM
    skins), only the thumb reaches the top and bottom rows of the box, and it sits at the
    right end when on - this holds for a white thumb on a pale track in a coloured row, where
    colour alone misleads. When the thumb sits inside the track (Material 3, iOS), the track
    is coloured when on and grey when off: saturated pixels unlike the row behind decide.
    """
    h, w = image.shape[:2]
    b = box.clip(w, h)
    if b.width < 6 or b.height < 6:
        return False
    crop = image[b.y1:b.y2, b.x1:b.x2].astype(np.int32)
    around = np.asarray(surround_colour(image, b, margin=4), np.int32)
    far = np.sqrt(((crop - around) ** 2).sum(axis=2)) > _SWITCH_INK
    rim = max(1, b.height // 8)
    edge = np.concatenate([far[:rim], far[-rim:]], axis=0)
    cols = np.nonzero(edge.any(axis=0))[0]
    if len(cols) and (cols[-1] - cols[0] + 1) < 0.7 * b.width:
        x = float(cols.mean()) / b.width
        if x > 0.55:
            return True
        if x < 0.45:
            return False
    band = crop[b.height // 4:b.height - b.height // 4 or b.height]
    px = band.reshape(-1, 3)
    mx, mn = px.max(axis=1), px.min(axis=1)
    sat = np.where(mx > 0, (mx - mn) / np.maximum(mx, 1), 0.0)
    dist = np.sqrt(((px - around) ** 2).sum(axis=1))
    coloured = (sat > 0.3) & (dist > INK_DISTANCE) & (mx > 60)
    return bool(coloured.mean() >= 0.25)


def _one_per_label(toggles: list[Toggle]) -> list[Toggle]:
    seen: dict[tuple[str, Box | None], Toggle] = {}
    for t in toggles:
        key = (t.label, t.label_box)
        if key not in seen or t.box.area > seen[key].box.area:
            seen[key] = t
    return list(seen.values())


def find_filled_buttons(image: np.ndarray, density: float,
                        shapes: Sequence[Shape] | None = None) -> list[Box]:
    """Rounded filled rectangles 28-72 dp tall whose inside is one colour unlike their surround."""
    boxes = []
    for s in (find_shapes(image, density) if shapes is None else shapes):
        if s.kind != "rect":
            continue
        filled, _ = _is_filled(image, s.box, 0.2, distance=BUTTON_FILL_DISTANCE)
        if filled:
            boxes.append(s.box)
    return boxes
