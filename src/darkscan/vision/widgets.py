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
        if rect <= 0 or area / rect < 0.55:
            continue
        per = cv2.arcLength(c, True)
        circ = 4 * math.pi * area / (per * per) if per else 0.0
        aspect = w / h
        box = Box(x, y, x + w, y + h)
        if 12 <= hd <= 36 and 0.8 <= aspect <= 1.25:
            kind = "circle" if area / rect < 0.84 and circ > 0.75 else "square"
            out.append(Shape(box, kind, area / rect))
        elif 12 <= hd <= 36 and 1.4 <= aspect <= 2.8:
            out.append(Shape(box, "pill", area / rect))
        elif 28 <= hd <= 72 and aspect >= 1.5 and area / rect >= 0.8:
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
            if label is None:
                continue
            if s.kind == "square":
                checked, _ = _is_filled(image, s.box, 0.2)
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
