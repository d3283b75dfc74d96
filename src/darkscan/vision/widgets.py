"""Controls found from pixels alone (OpenCV): filled buttons, checkboxes, radios, switches,
icon-only header controls (an app bar's navigation / menu glyphs).

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
from darkscan.vision.measure import (
    INK_DISTANCE,
    contrast_ratio,
    dominant_colour,
    fill_of,
    has_outline,
    ink,
    saturation,
    surround_colour,
)
from darkscan.vision.model import (
    RGB,
    Emphasis,
    ScreenText,
    Source,
    Toggle,
    ToggleKind,
    Widget,
    WidgetKind,
)

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
    """The checkboxes / radios / switches of :func:`find_widgets` that text labels: a box or
    radio's label on its right (a trailing one's on its left), a switch's on its left.

    A control with no label is left out: the detectors need to know what it switches.
    """
    w = image.shape[1]
    toggles: list[Toggle] = []
    kinds = {WidgetKind.CHECKBOX: ToggleKind.CHECKBOX, WidgetKind.RADIO: ToggleKind.RADIO,
             WidgetKind.SWITCH: ToggleKind.SWITCH}
    for wd in find_widgets(image, density, texts, shapes):
        if wd.kind not in kinds or wd.checked is None:
            continue
        trailing = wd.kind is WidgetKind.SWITCH or wd.style == "tick"
        label = _label_for(wd.box, texts, w, left=trailing, density=density)
        if (label is None and not trailing and wd.box.x1 >= 0.6 * w
                and wd.box.height <= TRAILING_BOX_MAX_DP * density
                and _stands_alone(image, wd.box)):
            # a settings row's trailing checkbox: the label is the row's title, on the left
            label = _label_for(wd.box, texts, w, left=True, density=density)
        if label is None:
            continue
        toggles.append(Toggle(kinds[wd.kind], wd.box, wd.checked, label.text, label.box,
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


# ---------------------------------------------------------------------------------------------
# Pixel-only widget recognition (no hierarchy, labels optional): find_widgets()
# ---------------------------------------------------------------------------------------------

# Control sizes in dp: a checkbox / radio glyph is drawn 14-26 dp (an app icon is 36-48);
# a bare tick 9-34 dp wide.
TOGGLE_MIN_DP, TOGGLE_MAX_DP = 13.0, 27.0
TICK_MIN_DP, TICK_MAX_DP = 9.0, 34.0
# A flat region: per-channel standard deviation below this (JPEG noise included).
FLAT_STD = 14.0


def _ink_mask(px: np.ndarray, back: RGB, distance: float = INK_DISTANCE) -> np.ndarray:
    return np.sqrt(((px.astype(np.int32) - np.asarray(back, np.int32)) ** 2).sum(axis=2)) > distance


def is_tick(mask: np.ndarray) -> bool:
    """True when the ink in ``mask`` is a check mark: a thin V whose left arm falls to a vertex
    in the left half and whose longer right arm rises above the left arm's start.

    Read per column (the mean row of the ink): a pencil (one diagonal), a briefcase, a letter
    or a dot fails; "v" fails because its arms are equal.
    """
    ys, xs = np.nonzero(mask)
    if len(xs) < 8:
        return False
    x0, x1 = int(xs.min()), int(xs.max())
    y0, y1 = int(ys.min()), int(ys.max())
    w, h = x1 - x0 + 1, y1 - y0 + 1
    if w < 6 or h < 4 or not 0.5 <= w / h <= 2.6:
        return False
    sub = mask[:, x0:x1 + 1]
    counts = sub.sum(axis=0)
    if (counts == 0).mean() > 0.15:
        return False  # gaps: two glyphs, not one stroke
    rows = np.arange(mask.shape[0])[:, None]
    mean_y = (sub * rows).sum(axis=0) / np.maximum(counts, 1)
    # a stroke, not a filled shape: each column holds one thin run
    if float(np.median(counts)) > 0.45 * h:
        return False
    starts = (np.diff(sub.astype(np.int8), axis=0) == 1).sum(axis=0) + sub[0]
    if float((starts > 1).mean()) > 0.12:
        return False
    v = int(np.argmax(mean_y))
    if not 0.15 * w <= v <= 0.6 * w:
        return False
    left, right = mean_y[:v + 1], mean_y[v:]
    if len(left) < 3 or len(right) < 4:
        return False

    def slope_fit(seg: np.ndarray) -> tuple[float, float]:
        x = np.arange(len(seg), dtype=np.float64)
        if np.ptp(seg) == 0:
            return 0.0, 0.0
        c = float(np.corrcoef(x, seg)[0, 1])
        return c, float(np.polyfit(x, seg, 1)[0])

    cl, sl = slope_fit(left)
    cr, sr = slope_fit(right)
    if cl < 0.85 or cr > -0.9 or sl <= 0 or sr >= 0:
        return False
    # the right arm rises higher than the left arm started: a tick, not a "v"
    return float(left[0] - right[-1]) >= 0.15 * h and len(right) >= 1.2 * len(left)


def _shape_ink(image: np.ndarray, box: Box, frac: float) -> tuple[np.ndarray, RGB, np.ndarray]:
    """(inner pixels, their dominant colour, ink mask against it) of ``box`` inset by ``frac``."""
    inner = _inner(image, box, frac)
    if inner.size == 0:
        return inner, (0, 0, 0), np.zeros(inner.shape[:2], bool)
    back = dominant_colour(inner)
    return inner, back, _ink_mask(inner, back)


def _flat(px: np.ndarray) -> bool:
    return px.size > 0 and float(px.reshape(-1, 3).astype(np.float64).std(axis=0).max()) < FLAT_STD


def _ring_colour(image: np.ndarray, box: Box, frac: float = 0.12,
                 round_: bool = False) -> tuple[RGB, float]:
    """Dominant colour of the box's outer band (its border stroke) and the band's spread; for
    a round shape the annulus just inside its circle (the box's corners are background)."""
    h, w = image.shape[:2]
    b = box.clip(w, h)
    crop = image[b.y1:b.y2, b.x1:b.x2]
    if round_:
        ch, cw = crop.shape[:2]
        yy, xx = np.mgrid[0:ch, 0:cw]
        r = np.hypot((yy + 0.5 - ch / 2) / (ch / 2), (xx + 0.5 - cw / 2) / (cw / 2))
        band = crop[(r >= 1 - 2.5 * frac) & (r <= 0.96)]
    else:
        r = max(1, round(min(b.width, b.height) * frac))
        band = np.concatenate([crop[:r].reshape(-1, 3), crop[-r:].reshape(-1, 3),
                               crop[:, :r].reshape(-1, 3), crop[:, -r:].reshape(-1, 3)])
    if len(band) == 0:
        return (255, 255, 255), 0.0
    return dominant_colour(band), float(band.astype(np.float64).std(axis=0).max())


def _has_border(image: np.ndarray, box: Box, around: RGB, round_: bool = False) -> bool:
    """A stroke (or fill) runs along the whole edge of the shape: on each side of a square
    (middle 60 %, clear of rounded corners) some line within the outer 18 % differs from the
    surround on >= 80 % of its pixels; for a round shape, some circle between 0.72 and 0.98
    of its radius does."""
    h, w = image.shape[:2]
    b = box.clip(w, h)
    crop = image[b.y1:b.y2, b.x1:b.x2].astype(np.int32)
    if crop.shape[0] < 6 or crop.shape[1] < 6:
        return False
    far = np.sqrt(((crop - np.asarray(around, np.int32)) ** 2).sum(axis=2)) > INK_DISTANCE / 2
    ch, cw = far.shape
    if round_:
        yy, xx = np.mgrid[0:ch, 0:cw]
        r = np.hypot((yy + 0.5 - ch / 2) / (ch / 2), (xx + 0.5 - cw / 2) / (cw / 2))
        for lo in np.arange(0.72, 0.98, 0.04):
            ring = (r >= lo) & (r < lo + 0.06)
            if ring.any() and float(far[ring].mean()) >= 0.8:
                return True
        return False
    k = max(1, round(0.18 * min(ch, cw)))
    x1, x2 = int(cw * 0.2), int(cw * 0.8)
    y1, y2 = int(ch * 0.2), int(ch * 0.8)
    sides = (
        [far[i, x1:x2] for i in range(k)], [far[ch - 1 - i, x1:x2] for i in range(k)],
        [far[y1:y2, i] for i in range(k)], [far[y1:y2, cw - 1 - i] for i in range(k)],
    )
    return all(any(float(line.mean()) >= 0.8 for line in side) for side in sides)


def _many_colours(px: np.ndarray) -> bool:
    """A photo / multicolour icon: more than three distinct quantised colours hold >= 6 % each."""
    q = (px.reshape(-1, 3) // 48).astype(np.int32)
    keys = q[:, 0] * 36 + q[:, 1] * 6 + q[:, 2]
    counts = np.bincount(keys)
    return int((counts >= 0.06 * len(keys)).sum()) > 3


def _checkbox_state(image: np.ndarray, box: Box, round_: bool) -> bool | None:
    """None: not a checkbox. Otherwise its state: an empty outlined box (off), a filled box
    with a tick, or an outlined box with a tick (on)."""
    around = surround_colour(image, box, margin=4)
    if not _has_border(image, box, around, round_):
        return None  # no border or fill: nothing drawn at the box's edge
    inner, back, mark = _shape_ink(image, box, 0.2 if not round_ else 0.22)
    if inner.size == 0 or _many_colours(inner):
        return None
    share = float(mark.mean())
    if share < 0.02:
        # flat inside: an empty box (its inside is the surround) is off; a box filled with
        # its border colour and nothing on it is no checkbox (a swatch, a bullet)
        return False if _dist(back, around) <= INK_DISTANCE else None
    if share > 0.6:
        return None
    if is_tick(mark):
        return True
    if round_ and _dist(back, around) <= INK_DISTANCE:
        return None
    return None


def _radio_state(image: np.ndarray, box: Box) -> bool | None:
    """None: not a radio. A ring with its inside the surround colour: off; with a centred
    dot about half its diameter, separated from the ring by a gap: on."""
    around = surround_colour(image, box, margin=4)
    if not _has_border(image, box, around, round_=True):
        return None
    h, w = image.shape[:2]
    b = box.clip(w, h)
    crop = image[b.y1:b.y2, b.x1:b.x2]
    if crop.size == 0 or _many_colours(crop):
        return None
    ch, cw = crop.shape[:2]
    yy, xx = np.mgrid[0:ch, 0:cw]
    inside = np.hypot((yy + 0.5 - ch / 2) / (ch / 2), (xx + 0.5 - cw / 2) / (cw / 2)) < 0.68
    mark = _ink_mask(crop, around) & inside
    share = float(mark.sum()) / max(1, int(inside.sum()))
    if share < 0.03:
        return False
    ys, xs = np.nonzero(mark)
    cy, cx = ys.mean() / ch, xs.mean() / cw
    span = max(xs.max() - xs.min() + 1, ys.max() - ys.min() + 1) / max(ch, cw)
    if abs(cx - 0.5) > 0.1 or abs(cy - 0.5) > 0.1 or not 0.25 <= span <= 0.62:
        return None
    # the dot is solid and round (an "i" or "!" glyph in a ring is tall and thin)
    dw, dh = xs.max() - xs.min() + 1, ys.max() - ys.min() + 1
    if not 0.75 <= dw / dh <= 1.33:
        return None
    fill = mark[ys.min():ys.max() + 1, xs.min():xs.max() + 1].mean()
    return True if fill >= 0.6 else None


def _switch_from_pill(image: np.ndarray, pill: Shape, circles: Sequence[Shape]) -> Widget | None:
    """A pill is a switch when a round thumb sits at one of its ends (Material 2: the thumb
    overhangs the track; Material 3 / iOS: inside it). On = the thumb at the right end."""
    b = pill.box
    thumbs = [c for c in circles if b.contains(*c.box.center)
              and c.box.height >= 0.45 * b.height and c.box.width <= 0.75 * b.width]
    if thumbs:
        t = max(thumbs, key=lambda c: c.box.area)
        rel = ((t.box.x1 + t.box.x2) / 2 - b.x1) / b.width
        if rel >= 0.58:
            return Widget(WidgetKind.SWITCH, b, True, style="thumb")
        if rel <= 0.42:
            return Widget(WidgetKind.SWITCH, b, False, style="thumb")
        return None
    # no separate thumb contour: a track filled one colour with a lighter knob at one end
    crop = _inner(image, b, 0.05)
    if crop.size == 0 or _many_colours(crop):
        return None
    ring, _spread = _ring_colour(image, b, 0.1)
    around = surround_colour(image, b, margin=4)
    if _dist(ring, around) < INK_DISTANCE * 0.6:
        return None
    knob = _ink_mask(crop, ring)
    if knob.mean() < 0.08:
        return None
    ys, xs = np.nonzero(knob)
    if (ys.max() - ys.min() + 1) < 0.5 * knob.shape[0] or (xs.max() - xs.min() + 1) > 0.6 * knob.shape[1]:
        return None
    rel = xs.mean() / knob.shape[1]
    if 0.42 < rel < 0.58:
        return None
    return Widget(WidgetKind.SWITCH, b, bool(rel >= 0.58), style="track")


def _ends_row(image: np.ndarray, box: Box, around: RGB) -> bool:
    """Nothing is drawn between the control and the right edge of the screen on its row (a
    trailing control), and it sits in the right half."""
    h, w = image.shape[:2]
    if box.center[0] < w / 2:
        return False
    strip = image[max(0, box.y1):min(h, box.y2), min(w, box.x2 + 2):max(box.x2 + 2, w - 2)]
    return strip.size == 0 or float(_ink_mask(strip, around).mean()) < 0.01


def _bare_ticks(image: np.ndarray, density: float, taken: Sequence[Box]) -> list[Widget]:
    """Check marks drawn with no box around them (a selected row's trailing tick)."""
    out: list[Widget] = []
    h, w = image.shape[:2]
    for c in _contours(image):
        x, y, cw, ch = cv2.boundingRect(c)
        if not (TICK_MIN_DP * density <= cw <= TICK_MAX_DP * density
                and 0.3 * cw <= ch <= 1.1 * cw):
            continue
        box = Box(x, y, x + cw, y + ch)
        if any(t.overlaps(box) for t in taken) or any(o.box.iou(box) > 0.3 for o in out):
            continue
        if cv2.contourArea(c) > 0.5 * cw * ch:
            continue  # a solid shape, not a stroke
        around = surround_colour(image, box, margin=3)
        pad = max(1, int(0.08 * cw))
        area = Box(x - pad, y - pad, x + cw + pad, y + ch + pad).clip(w, h)
        crop = image[area.y1:area.y2, area.x1:area.x2]
        mark = _ink_mask(crop, around)
        if not mark.any() or not _flat(crop[~mark]) and _many_colours(crop):
            continue
        if not is_tick(mark):
            continue
        # one colour: the stroke's core varies little (a photo's edge does)
        core = crop[mark].astype(np.int32)
        if float(core.std(axis=0).max()) > MARK_COLOUR_SPREAD * 1.5:
            continue
        if not _ends_row(image, box, around):
            continue  # a leading tick is a bullet ("✓ Offline maps"), not a control
        side = max(cw, ch)
        sq = Box(x + cw // 2 - side // 2, y + ch // 2 - side // 2,
                 x + cw // 2 - side // 2 + side, y + ch // 2 - side // 2 + side)
        out.append(Widget(WidgetKind.CHECKBOX, sq, True, style="tick"))
    return out


def find_widgets(image: np.ndarray, density: float, texts: Sequence[ScreenText] = (),
                 shapes: Sequence[Shape] | None = None) -> list[Widget]:
    """Checkboxes, radios, switches (with their state) and buttons (with their emphasis) from
    pixels alone. ``texts`` (OCR lines, optional) keep glyphs of text from being read as
    controls and let text-only buttons be found; without them only drawn shapes count."""
    shapes = list(find_shapes(image, density) if shapes is None else shapes)
    circles = [s for s in shapes if s.kind == "circle"]
    out: list[Widget] = []

    def on_text(b: Box) -> bool:
        return any(b.overlaps(t.box) and t.box.intersection(b).area >= 0.3 * b.area
                   for t in texts)

    # switches first: their thumb (a circle) and track end (a square) are no radio / checkbox
    for s in sorted((s for s in shapes if s.kind == "pill"), key=lambda s: -s.box.area):
        if any(w.box.overlaps(s.box) for w in out) or on_text(s.box):
            continue
        sw = _switch_from_pill(image, s, circles)
        if sw is not None:
            out.append(sw)
    switches = [w.box for w in out]
    lo, hi = TOGGLE_MIN_DP * density, TOGGLE_MAX_DP * density
    for s in sorted((s for s in shapes if s.kind in ("square", "circle")),
                    key=lambda s: -s.box.area):
        b = s.box
        if not (lo <= b.height <= hi and lo <= b.width <= hi):
            continue
        if any(o.overlaps(b) for o in switches) or any(w.box.iou(b) > 0.3 or (
                w.box.contains(*b.center)) for w in out) or on_text(b):
            continue
        if s.kind == "square":
            state = _checkbox_state(image, b, round_=False)
            if state is not None:
                out.append(Widget(WidgetKind.CHECKBOX, b, state, style="square"))
            continue
        state = _radio_state(image, b)
        if state is not None:
            out.append(Widget(WidgetKind.RADIO, b, state, style="ring"))
            continue
        state = _checkbox_state(image, b, round_=True)
        if state:  # a tick in a circle; an empty circle is read as a radio above
            out.append(Widget(WidgetKind.CHECKBOX, b, True, style="round"))
    taken = [w.box for w in out] + [t.box for t in texts]
    out += _bare_ticks(image, density, taken)
    return out


# A button label: at most this many words / characters (longer lines are sentences).
BUTTON_MAX_WORDS, BUTTON_MAX_CHARS = 5, 28
# Label colours: an accent from this chroma (max - min channel) and HSV saturation.
ACCENT_CHROMA, ACCENT_SATURATION = 80, 0.35
# A fill "filled" (vs tonal) from this WCAG contrast against its surround, or when saturated.
FILLED_CONTRAST = 1.6


def _chroma(c: RGB) -> int:
    return max(c) - min(c)


def emphasis_of(image: np.ndarray, box: Box) -> tuple[Emphasis, RGB | None]:
    """How a button container is drawn: filled / tonal (fill unlike the surround), outlined
    (a stroke along its top and bottom edges), or text (neither)."""
    fill = fill_of(image, box)
    around = surround_colour(image, box, margin=4)
    if _dist(fill, around) > BUTTON_FILL_DISTANCE:
        strong = (contrast_ratio(fill, around) >= FILLED_CONTRAST
                  or (saturation(fill) >= ACCENT_SATURATION and _chroma(fill) >= ACCENT_CHROMA))
        return (Emphasis.FILLED if strong else Emphasis.TONAL), fill
    if has_outline(image, box):
        return Emphasis.OUTLINED, None
    return Emphasis.TEXT, None


def _is_label(text: str) -> bool:
    words = text.split()
    return (0 < len(words) <= BUTTON_MAX_WORDS and len(text) <= BUTTON_MAX_CHARS
            and sum(1 for c in text if c.isalnum()) >= 2 and not text.rstrip().endswith((".", "。", ":", "：")))


def _caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha() and c.isascii()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _divided_cell(image: np.ndarray, box: Box, density: float) -> Box | None:
    """The cell of an edge-to-edge button bar around a label: a divider line spans the row
    just above it (>= 60 % of the screen width), optionally split by vertical dividers. None
    when the label sits in no such bar."""
    h, w = image.shape[:2]
    back = np.asarray(surround_colour(image, box, margin=int(2 * density)), np.int32)
    reach = int(32 * density)
    top = None
    for y in range(box.y1 - 2, max(0, box.y1 - reach), -1):
        row = image[y, :].astype(np.int32)
        if (np.sqrt(((row[box.x1:box.x2] - back) ** 2).sum(axis=1)) > 10).mean() < 0.95:
            continue
        # the run of the line's own colour through the label's columns
        colour = np.median(row[box.x1:box.x2], axis=0)
        line = np.sqrt(((row - colour) ** 2).sum(axis=1)) <= 12
        lx = box.x1
        while lx > 0 and line[lx - 1]:
            lx -= 1
        rx = box.x2
        while rx < w and line[rx]:
            rx += 1
        if rx - lx >= 0.6 * w:
            # a divider is thin: the label's background is back just above it
            above = image[max(0, y - int(4 * density)):max(0, y - 1), box.x1:box.x2]
            clear = (np.sqrt(((above.astype(np.int32) - back) ** 2).sum(axis=2)) <= 10)
            if above.size and clear.all(axis=1).any():
                top = (y, lx, rx)
        break
    if top is None:
        return None
    y0, lx, rx = top
    # the cell ends below the label about as far as it starts above it: the card's edge or
    # another divider (a line of text under a rule in a page has more text below, not an edge)
    gap = box.y1 - y0
    y2 = None
    for y in range(box.y2 + 1, min(h, box.y2 + int(2 * gap) + int(4 * density))):
        row = image[y, box.x1:box.x2].astype(np.int32)
        if (np.sqrt(((row - back) ** 2).sum(axis=1)) > 10).mean() >= 0.95:
            y2 = y
            break
    if y2 is None or not 0.5 * gap <= y2 - box.y2 <= 2 * gap + 4 * density:
        return None
    band = image[y0 + 2:y2, :].astype(np.int32)
    if band.size == 0:
        return None
    cols = (np.sqrt(((band - back) ** 2).sum(axis=2)) > 10).mean(axis=0) >= 0.9
    x1, x2 = lx, rx
    for x in range(box.x1 - 1, lx, -1):
        if cols[x]:
            x1 = x + 1
            break
    for x in range(box.x2, rx):
        if cols[x]:
            x2 = x
            break
    return Box(x1, y0 + 1, x2, y2)


def find_buttons(image: np.ndarray, density: float, texts: Sequence[ScreenText],
                 shapes: Sequence[Shape] | None = None,
                 exclude: Sequence[Box] = ()) -> list[Widget]:
    """Buttons with their emphasis. Containers: rounded rects 28-72 dp tall holding a label
    (filled, tonal, outlined). Text buttons: a short label drawn in the accent colour or in
    capitals (Material), not a heading. Edge-to-edge bars: a label under a divider spanning
    the row, its cell bounded by vertical dividers (CANCEL | ACCEPT)."""
    shapes = list(find_shapes(image, density) if shapes is None else shapes)
    out: list[Widget] = []
    used: set[int] = set()
    labels = [t for t in texts if _is_label(t.text.strip())]
    # edge-to-edge bars first: their cells are closed shapes too, but part of the card
    for i, t in enumerate(texts):
        if t not in labels or any(e.overlaps(t.box) for e in exclude):
            continue
        cell = _divided_cell(image, t.box, density)
        if cell is not None:
            used.add(i)
            out.append(Widget(WidgetKind.BUTTON, cell, emphasis=Emphasis.TEXT, style="bar",
                              label=t.text.strip()))
    for s in sorted((s for s in shapes if s.kind == "rect"), key=lambda s: s.box.area):
        b = s.box
        if b.width > 0.98 * image.shape[1] or any(e.overlaps(b) for e in exclude):
            continue
        inside = [i for i, t in enumerate(texts) if b.contains(*t.box.center)]
        if not inside or used.intersection(inside) or any(w.box.contains(*b.center) for w in out):
            continue
        text = " ".join(texts[i].text.strip() for i in inside)
        if not _is_label(text):
            continue
        lb = texts[inside[0]].box.union(texts[inside[-1]].box)
        if abs(lb.center[0] - b.center[0]) > 0.15 * b.width:
            continue  # a label at one side of its box: a text field's hint, a list row
        emph, fill = emphasis_of(image, b)
        if emph is Emphasis.TEXT:
            continue
        used.update(inside)
        out.append(Widget(WidgetKind.BUTTON, b, emphasis=emph, style="container", label=text,
                          fill=fill))
    heights = sorted(t.box.height for t in texts)
    body = heights[len(heights) // 2] if heights else 0
    for i, t in enumerate(texts):
        if i in used or t not in labels or any(e.overlaps(t.box) for e in exclude):
            continue
        if body and t.box.height > 1.6 * body:
            continue  # a heading
        pad = int(4 * density)
        box = Box(t.box.x1 - pad, t.box.y1 - pad, t.box.x2 + pad, t.box.y2 + pad).clip(
            image.shape[1], image.shape[0])
        found = ink(image, box)
        accent = found is not None and _chroma(found.fg) >= ACCENT_CHROMA and saturation(
            found.fg) >= ACCENT_SATURATION
        if not (accent or _caps(t.text)):
            continue
        out.append(Widget(WidgetKind.BUTTON, box, emphasis=Emphasis.TEXT, style="text",
                          label=t.text.strip()))
    return out


# An app bar (toolbar): a band of one colour across the screen, 40-96 dp tall, in the top
# fifth of the screen, unlike the page's own colour. Material toolbars are 56-64 dp; a status
# bar of the same colour makes it up to ~88 dp.
APP_BAR_MIN_DP, APP_BAR_MAX_DP = 40.0, 96.0
# A toolbar action's glyph: Material icons are 24 dp (drawn 14-22 dp); a logo or an avatar
# is larger, a status icon smaller.
ICON_MIN_DP, ICON_MAX_DP = 10.0, 28.0
# Actions sit at the bar's ends (navigation at the leading end, actions at the trailing
# end); a centred glyph is the title's logo.
ICON_END_SHARE = 0.25
# Android's status bar (clock, battery: system UI, not the app's controls) is 24 dp tall.
STATUS_BAR_DP = 24.0


def _row_modes(image: np.ndarray, rows: int) -> tuple[np.ndarray, np.ndarray]:
    """For each of the first ``rows`` rows: its most frequent colour (quantised) and the share
    of the row drawn in it."""
    band = image[:rows].astype(np.int32)
    keys = (band[..., 0] // 16) * 256 + (band[..., 1] // 16) * 16 + band[..., 2] // 16
    colours = np.zeros((rows, 3), np.int32)
    shares = np.zeros(rows)
    for y in range(rows):
        counts = np.bincount(keys[y], minlength=4096)
        top = int(counts.argmax())
        shares[y] = counts[top] / keys.shape[1]
        colours[y] = np.median(band[y][keys[y] == top], axis=0)
    return colours, shares


def app_bars(image: np.ndarray, density: float) -> list[tuple[Box, RGB]]:
    """Full-width bands of one colour at the top of the screen that stand out from the page:
    the app bar(s) (a web page's header bar too). Returns (band, its colour)."""
    h, w = image.shape[:2]
    rows = int(0.2 * h)
    if rows <= 0:
        return []
    colours, shares = _row_modes(image, rows)
    page = np.asarray(dominant_colour(image[::4, ::4]), np.int32)
    out: list[tuple[Box, RGB]] = []
    y = 0
    while y < rows:
        if shares[y] < 0.5:
            y += 1
            continue
        y0 = y
        while (y + 1 < rows and shares[y + 1] >= 0.5
               and np.sqrt(((colours[y + 1] - colours[y0]) ** 2).sum()) <= BUTTON_FILL_DISTANCE):
            y += 1
        y1 = y + 1
        y = y1
        colour = colours[y0]
        if not APP_BAR_MIN_DP * density <= y1 - y0 <= APP_BAR_MAX_DP * density:
            continue
        if np.sqrt(((colour - page) ** 2).sum()) <= 2 * BUTTON_FILL_DISTANCE:
            continue  # the page's own colour: a gap between blocks, not a bar
        out.append((Box(0, y0, w, y1), (int(colour[0]), int(colour[1]), int(colour[2]))))
    return out


def _end_glyphs(image: np.ndarray, strip: Box, density: float,
                colour: RGB | None) -> list[Box]:
    """Icon-sized one-colour glyphs in the leading and trailing ends of a horizontal strip,
    not touching its top or bottom edge. ``colour``: the strip's flat colour (an app bar);
    None: the strip lies on artwork, and ink is what contrasts most with the end's dominant
    colour (at least half the strongest contrast there)."""
    w = image.shape[1]
    k = max(3, int(5 * density)) | 1
    out: list[Box] = []
    end = int(ICON_END_SHARE * w)
    for x0, x1 in ((0, end), (w - end, w)):
        crop = image[strip.y1:strip.y2, x0:x1].astype(np.int32)
        if crop.size == 0:
            continue
        back = np.asarray(colour if colour is not None else dominant_colour(crop), np.int32)
        dist = np.sqrt(((crop - back) ** 2).sum(axis=2))
        cut = INK_DISTANCE if colour is not None else max(INK_DISTANCE, 0.5 * float(dist.max()))
        mask = (dist > cut).astype(np.uint8)
        # the strokes of one glyph (a menu icon's three bars) become one blob
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
        n, _lab, stats, _c = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for i in range(1, n):
            x, y, cw, ch, _a = (int(v) for v in stats[i])
            side, short = max(cw, ch), min(cw, ch)
            if not (ICON_MIN_DP * density <= side <= ICON_MAX_DP * density
                    and short >= 3 * density):
                continue
            cut_off = x <= 0 if x0 > 0 else x + cw >= end
            if y <= 1 or y + ch >= strip.height - 1 or cut_off:
                continue  # runs past the strip's edge or its end: part of something larger
            if strip.y1 + y < STATUS_BAR_DP * density:
                continue  # a status icon in a bar drawn under the status bar
            # the glyph's own colour: its strongest ink (anti-aliased edges blend with the bar)
            gd = dist[y:y + ch, x:x + cw]
            core = crop[y:y + ch, x:x + cw][gd > max(cut, 0.5 * float(gd.max()))]
            if len(core) == 0 or float(core.std(axis=0).max()) > MARK_COLOUR_SPREAD:
                continue  # many colours: a logo, an avatar, a photo
            out.append(Box(x0 + x, strip.y1 + y, x0 + x + cw, strip.y1 + y + ch))
    return out


def _header_row(texts: Sequence[ScreenText], width: int, height: int,
                density: float) -> Box | None:
    """The first row of the page: a strip one touch target tall (48 dp) centred on the
    topmost text line below the status bar, when that line is in the top fifth of the
    screen. A header's controls are aligned on it, whatever it is drawn over."""
    half = int(24 * density)
    below = [t for t in texts if t.box.y1 >= STATUS_BAR_DP * density]
    if not below:
        return None
    cy = int(min(below, key=lambda t: t.box.y1).box.center[1])
    if not STATUS_BAR_DP * density + half <= cy <= 0.2 * height:
        return None
    return Box(0, cy - half, width, cy + half)


def find_icon_buttons(image: np.ndarray, density: float, texts: Sequence[ScreenText],
                      exclude: Sequence[Box] = ()) -> list[Widget]:
    """Icon-only controls of a header: a one-colour glyph of icon size (no text on it) at the
    leading or trailing end of an app bar (a band of one colour across the top), or of the
    row of a text line at the top of the screen (a header drawn over artwork) - the
    navigation / menu / search controls."""
    h, w = image.shape[:2]
    strips: list[tuple[Box, RGB | None]] = list(app_bars(image, density))
    row = _header_row(texts, w, h, density)
    if row is not None and not any(b.overlaps(row) for b, _c in strips):
        strips.append((row, None))
    out: list[Widget] = []
    for strip, colour in strips:
        for glyph in _end_glyphs(image, strip, density, colour):
            # a word on it is text; OCR reading an icon as one letter ("K" for an arrow) is not
            if any(t.box.overlaps(glyph) and _wordy(t.text) for t in texts) or any(
                    e.overlaps(glyph) for e in exclude) or any(
                    o.box.overlaps(glyph) for o in out):
                continue
            pad = int(4 * density)
            box = Box(glyph.x1 - pad, glyph.y1 - pad, glyph.x2 + pad, glyph.y2 + pad).clip(w, h)
            out.append(Widget(WidgetKind.BUTTON, box, emphasis=Emphasis.TEXT, style="icon"))
    return out
