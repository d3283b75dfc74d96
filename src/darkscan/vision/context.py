"""ScreenContext: one screen, measured once, for every per-screen detector.

    ctx = ScreenContext(image, hierarchy=nodes_or_Hierarchy, density=2.0,
                        first_seen={Box(...): True}, ocr=default_engine())
    ctx = ScreenContext.load("s3.png", xml="s3.xml", meta="s3.json")   # run-folder files

Inputs: ``image`` RGB uint8 (gray/RGBA converted); ``hierarchy`` anything with ``.nodes`` or
an iterable of nodes with ``text, content_desc, resource_id, cls, checkable, checked,
clickable, bounds: Box`` (``darkscan.device.hierarchy.Node``); ``density`` px per dp (default:
estimated as width / 360 dp); ``first_seen`` widget bounds -> checked state on first sight
(the crawler's ``screens/<id>.json``); ``secure`` = FLAG_SECURE screenshot (black): only the
hierarchy is used and pixel measurements are ``None``; ``shown`` = how a crawl reached the
screen (:class:`darkscan.detect.arrival.Shown`: popped up on its own or opened by a tap; None
for a lone screenshot); ``scroll_offset`` = for a viewport below the top of a long screen
(crawl/segments.py), how far the content moved up: texts count as below the fold by their
place on the whole screen.

Lazily computed (each once, then cached on the instance):

    ctx.texts          list[ScreenText]   hierarchy text first (ink box from pixels); OCR adds
                                          text drawn in WebViews / images / canvas, or the whole
                                          screen when there is no hierarchy; duplicates dropped
    ctx.metrics(t)     TextMetrics        font size (em from glyph ink) px/dp, relative_size vs
                                          the body median, WCAG contrast fg/bg, below_fold,
                                          after_cta, distance to the primary CTA
    ctx.body_size      float              median estimated font size of the screen's texts, px
    ctx.relative_size(t) / ctx.size_of(t) cheap size-only queries
    ctx.buttons        list[Button]       hierarchy clickables + filled shapes + text buttons
    ctx.primary_cta    Button | None      the most prominent accept/subscribe-looking button
    ctx.toggles        list[Toggle]       checkable nodes (first-seen state when known), else
                                          pixel checkboxes/radios/switches
    ctx.widgets        list[Widget]       pixel-only controls (no hierarchy read): checkbox /
                                          radio / switch with state, buttons with emphasis,
                                          icon-only header controls (style "icon")
    ctx.close_targets  list[CloseTarget]  ✕ / 跳过 / Skip / 关闭 controls with size in dp
    ctx.full_text      str                all texts joined (for screen-level lexicon checks)
    ctx.cancelling     bool               a retention / cancel confirmation reached while
                                          cancelling; ctx.is_accept / ctx.is_decline read
                                          "Continue" there as going on cancelling
    ctx.dp(px) / ctx.px(dp)               unit conversions
    ctx.ocr_stats      dict               OCR calls made for this screen (regions, pixels)

Detectors must treat all of this as read-only.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from darkscan.detect.arrival import Shown
from darkscan.errors import ImageError, RunFolderError
from darkscan.geometry import Box
from darkscan.lexicon import detectors
from darkscan.lexicon.cancellation import cancelling_screen
from darkscan.lexicon.detectors import Lex
from darkscan.lexicon.normalize import fold
from darkscan.vision import measure, widgets
from darkscan.vision.imageio import load_image
from darkscan.vision.model import (
    Button,
    CloseTarget,
    NodeLike,
    ScreenText,
    Source,
    TextMetrics,
    Toggle,
    ToggleKind,
    Widget,
)
from darkscan.vision.ocr import OcrEngine, read_regions
from darkscan.vision.spatial import BoxGrid

# Small candidate marks read again, this many times larger, at most this many per screen.
MARK_UPSCALE = 3
MAX_MARKS = 6
# A phone screen is ~360-412 dp wide; 360 is the Android baseline (mdpi 320 + bars ignored).
BASELINE_WIDTH_DP = 360.0
# Status bar / navigation bar windows: never part of the app's screen.
_SYSTEM_UI = ("com.android.systemui",)
# A button's fill differs from what surrounds it by at least this (RGB distance, 0..441).
FILL_DISTANCE = 12.0
# Node classes whose pixels may hold text the hierarchy does not carry.
_PIXEL_TEXT_CLASSES = ("webview", "imageview", "image", "canvas", "surfaceview", "textureview",
                       "videoview", "view", "framelayout", "lottie")
# Pixels one screen may spend measuring glyph ink, in screenfuls. An ordinary screen uses about
# two; a dump of thousands of overlapping text views would take minutes. Smallest boxes (text
# lines) are measured first; past the budget a text keeps its node bounds.
INK_BUDGET_SCREENS = 12.0
# OCR regions read per screen at most (a hostile dump can name thousands of empty views).
MAX_OCR_REGIONS = 64


# A node the screen edge cuts down to less than this (dp) on a side is a sliver: not visible.
SLIVER_DP = 4.0


def on_screen(b: Box, width: int, height: int, density: float) -> bool:
    """True when a node is part of what the screen shows: inside the screenshot and not cut by
    its edge to a sliver (a row scrolled 2 px into view, a button parked off-screen to the
    side or above). A node wholly below the bottom edge is kept: on a long screen it is the
    content below the fold, which rules judge as such."""
    if b.y1 >= height and b.x1 < width and b.x2 > 0:
        return True
    seen = b.clip(width, height)
    if seen.empty:
        return False
    if seen == b:
        return True
    return seen.width >= SLIVER_DP * density and seen.height >= SLIVER_DP * density


def _nodes_of(hierarchy: Any) -> tuple[list[NodeLike], Box | None]:
    """The app's nodes that can be seen and tapped, and the dialog window's box if one is open.

    System UI (status / navigation bar) is dropped. When the app shows a smaller window over
    its activity (a dialog, bottom sheet, popup), only that top window's nodes are kept: what is
    beneath sits under the scrim.
    """
    if hierarchy is None:
        return [], None
    nodes = getattr(hierarchy, "nodes", hierarchy)
    if callable(nodes):
        nodes = nodes()
    nodes = [n for n in nodes if not n.bounds.empty and getattr(n, "visible", True)
             and getattr(n, "package", "") not in _SYSTEM_UI]
    roots = [r for r in getattr(hierarchy, "roots", ()) or ()
             if getattr(r, "package", "") not in _SYSTEM_UI and not r.bounds.empty]
    if len(roots) < 2:
        return nodes, None
    top = min(roots, key=lambda r: r.bounds.area)
    if top.bounds.area >= 0.9 * max(r.bounds.area for r in roots):
        return nodes, None
    keep = {id(n) for n in top.iter()}
    return [n for n in nodes if id(n) in keep], top.bounds


class ScreenContext:
    def __init__(self, image: np.ndarray, hierarchy: Any = None, *, density: float | None = None,
                 first_seen: Mapping[Box, bool] | None = None, ocr: OcrEngine | None = None,
                 secure: bool = False, name: str = "", shown: Shown | None = None,
                 scroll_offset: int = 0) -> None:
        self.image = load_image(image)
        # A viewport below the top of a long screen: the content has moved up this many pixels,
        # so a text at y is at y + scroll_offset on the whole screen (for the fold).
        self.scroll_offset = scroll_offset
        # How the crawl reached this screen (popped up / opened by a tap); None = no run.
        self.shown = shown
        self.height, self.width = self.image.shape[:2]
        self.has_hierarchy = hierarchy is not None
        self.density = float(density) if density else max(0.75, self.width / BASELINE_WIDTH_DP)
        nodes, self._window = _nodes_of(hierarchy)
        self.nodes = [n for n in nodes if on_screen(n.bounds, self.width, self.height,
                                                    self.density)]
        self.first_seen = dict(first_seen or {})
        self.secure = secure or (self.has_hierarchy and float(self.image.max()) < 8)
        self.name = name
        self._ocr = ocr
        self.ocr_stats: dict[str, int] = {"regions": 0, "pixels": 0}
        self._metrics: dict[int, TextMetrics] = {}
        self._ink_left = INK_BUDGET_SCREENS * self.width * self.height
        self._ink_skipped = 0
        self._regions_skipped = 0
        self._hierarchy_warnings = tuple(getattr(hierarchy, "warnings", ()) or ())

    @property
    def warnings(self) -> list[str]:
        """What was cut to keep this screen's analysis bounded (one line each)."""
        out = list(self._hierarchy_warnings)
        if self._ink_skipped:
            out.append(f"{self._ink_skipped} texts or controls over the pixel-measurement "
                       "budget were sized by their node bounds")
        if self._regions_skipped:
            out.append(f"{self._regions_skipped} image/web regions over the limit of "
                       f"{MAX_OCR_REGIONS} were not read by OCR")
        return out

    def _spend(self, box: Box) -> bool:
        """Take ``box``'s pixels from the measurement budget; False once it is spent."""
        area = box.clip(self.width, self.height).area
        if area > self._ink_left:
            self._ink_skipped += 1
            return False
        self._ink_left -= area
        return True


    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, png: str | Path, *, xml: str | Path | None = None,
             meta: str | Path | None = None, density: float | None = None,
             ocr: OcrEngine | None = None) -> ScreenContext:
        """A screen from files: screenshot, optional uiautomator XML and crawler JSON."""
        image = load_image(png)
        hierarchy = None
        if xml is not None:
            from darkscan.vision.hierarchy_io import parse_xml_file

            hierarchy = parse_xml_file(xml)
        first_seen: dict[Box, bool] = {}
        secure = False
        if meta is not None:
            try:
                data = json.loads(Path(meta).read_text("utf-8"))
            except (OSError, ValueError) as e:
                raise RunFolderError(f"{meta}: cannot read screen record: {e}") from e
            first_seen = first_seen_from_record(data)
            secure = bool(data.get("secure", False))
            density = density or data.get("density")
        return cls(image, hierarchy, density=density, first_seen=first_seen, ocr=ocr,
                   secure=secure, name=Path(png).stem)

    # ------------------------------------------------------------------ units
    def dp(self, px: float) -> float:
        return px / self.density

    def px(self, dp: float) -> float:
        return dp * self.density

    @property
    def ocr(self) -> OcrEngine:
        if self._ocr is None:
            from darkscan.vision.ocr import default_engine

            self._ocr = default_engine()
        return self._ocr

    # ------------------------------------------------------------------ texts
    @cached_property
    def _clickables(self) -> BoxGrid[tuple[int, int, int, int, int, NodeLike]]:
        limit = 0.5 * self.width * self.height
        return BoxGrid(((n.bounds.area, *n.bounds.as_list(), n) for n in self.nodes
                        if n.clickable and n.bounds.area <= limit),
                       lambda e: e[5].bounds)

    def _smallest_clickable_around(self, box: Box) -> NodeLike | None:
        best, best_area = None, 0
        need = 0.8 * box.area
        x1, y1, x2, y2 = box.x1, box.y1, box.x2, box.y2
        # covering 80% of the box in area means 80% of its width and height: its centre
        for area, a1, b1, a2, b2, n in self._clickables.at(*box.center):
            if best is not None and area >= best_area:
                continue
            w, h = min(a2, x2) - max(a1, x1), min(b2, y2) - max(b1, y1)
            if w > 0 and h > 0 and w * h >= need or need == 0:
                best, best_area = n, area
        return best

    def _hierarchy_texts(self) -> list[ScreenText]:
        labelled = []
        for n in self.nodes:
            label = (n.text or "").strip()
            from_desc = False
            if not label:
                label = (n.content_desc or "").strip()
                from_desc = True
            if label:
                labelled.append((n, label, from_desc))
        # text lines first: when the pixel budget runs out, what is left are big containers
        inks: dict[int, measure.Ink | None] = {}
        for i, (n, _, from_desc) in sorted(enumerate(labelled),
                                           key=lambda e: e[1][0].bounds.area):
            box = n.bounds.clip(self.width, self.height)
            if box.empty or self.secure or from_desc:
                continue
            # 2 px around the node: a glyph drawn flush with a TextView's edge (no padding,
            # bold CJK) would otherwise touch the border and be dropped as a neighbour's ink.
            ink = self.ink(Box(box.x1 - 2, box.y1 - 2, box.x2 + 2, box.y2 + 2))
            if ink is not None and n.checkable:
                is_switch = any(k in (n.cls or "").lower() for k in ("switch", "toggle"))
                ink = measure.strip_control(self.image, box, ink, right=is_switch)
            inks[i] = ink
        out = []
        for i, (n, label, from_desc) in enumerate(labelled):
            box = n.bounds.clip(self.width, self.height)
            if box.empty:
                box = n.bounds  # off-screen (below the fold): keep the node bounds
            elif (ink := inks.get(i)) is not None:
                box = ink.box
            around = n if n.clickable else self._smallest_clickable_around(n.bounds)
            out.append(ScreenText(label, box, Source.HIERARCHY, 1.0, n.bounds,
                                  clickable=around is not None, resource_id=n.resource_id or "",
                                  cls=n.cls or "", from_desc=from_desc))
        return out

    @cached_property
    def _pixel_regions(self) -> list[Box]:
        return self._compute_ocr_regions()

    def _ocr_regions(self) -> list[Box]:
        return self._pixel_regions

    def _compute_ocr_regions(self) -> list[Box]:
        """Where the hierarchy lacks text: WebViews and text-less leaf views with pixels."""
        if not self.nodes:
            return [Box(0, 0, self.width, self.height)]
        icon = self.px(40)  # icons (<= 40 dp square) hold glyphs, not text worth reading
        min_area = self.px(32) ** 2
        regions = []
        text_boxes = BoxGrid([n.bounds for n in self.nodes if (n.text or "").strip()],
                             lambda b: b)
        for n in self.nodes:
            if (n.text or "").strip():
                continue
            cls = (n.cls or "").lower().rsplit(".", 1)[-1]
            b = n.bounds.clip(self.width, self.height)
            if b.empty or b.area < min_area or (b.width <= icon and b.height <= icon):
                continue
            is_web = "webview" in cls
            kids = getattr(n, "children", None)
            is_leaf = not kids if kids is not None else not any(
                o is not n and o.bounds.area < b.area
                and b.intersection(o.bounds).area >= 0.9 * o.bounds.area for o in self.nodes)
            if not (is_web or (is_leaf and any(k in cls for k in _PIXEL_TEXT_CLASSES))):
                continue
            if any(b.intersection(t).area >= 0.5 * b.area for t in text_boxes.near(b)):
                continue
            if any(b.intersection(r).area >= 0.9 * b.area for r in regions[-8:]):
                continue  # nested views over the same pixels: read once
            if len(regions) >= MAX_OCR_REGIONS:
                self._regions_skipped += 1
                continue
            if measure.region_is_blank(self.image, b):
                continue
            regions.append(b)
        return regions

    @cached_property
    def texts(self) -> list[ScreenText]:
        hier = self._hierarchy_texts()
        if self.secure:
            return hier
        regions = self._ocr_regions()
        self.ocr_stats["regions"] = len(regions)
        self.ocr_stats["pixels"] = sum(r.area for r in regions)
        ocr_texts = read_regions(self.ocr, self.image, regions) if regions else []
        drawn = BoxGrid([t for t in hier if not t.from_desc], lambda t: t.box)
        merged = list(hier)
        for o in ocr_texts:
            if any(o.box.iou(h.box) > 0.3 or h.box.contains(*o.box.center)
                   for h in drawn.near(o.box)):
                continue
            around = self._smallest_clickable_around(o.box)
            merged.append(ScreenText(o.text, o.box, Source.OCR, o.score,
                                     clickable=around is not None,
                                     resource_id=around.resource_id if around else ""))
        if regions:
            merged += self._small_marks(merged, regions)
        return merged

    def _small_marks(self, texts: Sequence[ScreenText], regions: Sequence[Box]) -> list[ScreenText]:
        """Ad marks too small for the whole-screen read: small label chips (a shape 8-28 dp
        tall, at most 72 dp wide, with no text read in it yet) are cropped, upscaled
        ``MARK_UPSCALE`` times and read again; only ad markers (广告, Ad, Sponsored) are kept."""
        from darkscan.lexicon.promo import Cue, cues_of

        cands = []
        for sh in self.shapes:
            b = sh.box
            if not (8 <= self.dp(b.height) <= 28 and self.dp(b.width) <= 72
                    and b.width >= b.height):
                continue
            if any(t.box.overlaps(b) for t in texts) or not any(r.contains(*b.center)
                                                                for r in regions):
                continue
            if any(c.iou(b) > 0.3 for c in cands):
                continue
            cands.append(b)
        out: list[ScreenText] = []
        pad = int(self.px(2))
        for b in sorted(cands, key=lambda c: c.area)[:MAX_MARKS]:
            r = Box(b.x1 - pad, b.y1 - pad, b.x2 + pad, b.y2 + pad).clip(self.width, self.height)
            crop = self.image[r.y1:r.y2, r.x1:r.x2]
            big = cv2.resize(crop, (crop.shape[1] * MARK_UPSCALE, crop.shape[0] * MARK_UPSCALE),
                             interpolation=cv2.INTER_CUBIC)
            for o in self.ocr.read(big):
                if Cue.AD_MARKER not in cues_of(o.text):
                    continue
                ob = o.box
                box = Box(r.x1 + ob.x1 // MARK_UPSCALE, r.y1 + ob.y1 // MARK_UPSCALE,
                          r.x1 + -(-ob.x2 // MARK_UPSCALE), r.y1 + -(-ob.y2 // MARK_UPSCALE))
                out.append(ScreenText(o.text, box, Source.OCR, o.score))
        return out

    @cached_property
    def visible_texts(self) -> list[ScreenText]:
        """Drawn texts inside the screenshot (no content-desc, nothing off-screen)."""
        frame = Box(0, 0, self.width, self.height)
        return [t for t in self.texts if not t.from_desc and frame.contains(*t.box.center)]

    @cached_property
    def full_text(self) -> str:
        return "\n".join(t.text for t in self.texts)

    @cached_property
    def cancelling(self) -> bool:
        """A retention / cancellation-confirmation screen reached while cancelling (from how the
        crawl reached it and what it says; see :func:`cancelling_screen`). On one, "Continue"
        or 继续 goes on cancelling - a decline of what the screen asks - and "Keep" accepts."""
        shown = self.shown
        return cancelling_screen([t.text for t in self.texts],
                                 shown.opened_by if shown else (),
                                 shown.interrupting if shown else False)

    def is_accept(self, text: str) -> bool:
        """An accepting answer on this screen (:func:`detectors.is_accept` in its context)."""
        return detectors.is_accept(text, self.cancelling)

    def is_decline(self, text: str) -> bool:
        """A declining answer on this screen (:func:`detectors.is_decline` in its context)."""
        return detectors.is_decline(text, self.cancelling)

    # ------------------------------------------------------------------ metrics
    def _ink_of(self, t: ScreenText) -> measure.Ink | None:
        if self.secure or t.from_desc:
            return None
        pad = 3 if t.source is not Source.HIERARCHY else 1
        b = Box(t.box.x1 - pad, t.box.y1 - pad, t.box.x2 + pad, t.box.y2 + pad)
        return self.ink(b)

    @cached_property
    def _inks(self) -> dict[int, measure.Ink]:
        out = {}
        for i, t in enumerate(self.texts):
            ink = self._ink_of(t)
            if ink is not None and ink.line_height > 0:
                out[i] = ink
        return out

    @cached_property
    def _sizes(self) -> dict[int, float]:
        """Estimated font size (em, px) per drawn text index."""
        out = {}
        for i, t in enumerate(self.texts):
            if t.from_desc:
                continue
            ink = self._inks.get(i)
            if ink is not None:
                out[i] = measure.em_size(t.text, ink)
            elif t.node_box is not None:
                out[i] = t.node_box.height / 1.2  # secure/off-screen: a one-line node's box
        return out

    @cached_property
    def body_size(self) -> float:
        """Median estimated font size over the screen's texts (one vote per text), pixels."""
        # Hierarchy text when there is enough of it: OCR'd banner/image text is decoration.
        hier = [v for i, v in self._sizes.items() if self.texts[i].source is Source.HIERARCHY]
        hs = hier if len(hier) >= 3 else list(self._sizes.values())
        return float(statistics.median(hs)) if hs else self.px(14)

    @property
    def body_line_height(self) -> float:  # kept for readers of the first API
        return self.body_size

    @cached_property
    def _text_index(self) -> dict[int, int]:
        return {id(t): i for i, t in enumerate(self.texts)}

    @cached_property
    def _text_centres(self) -> BoxGrid[ScreenText]:
        return BoxGrid(self.texts, lambda t: Box(*t.box.center, t.box.center[0] + 1,
                                                 t.box.center[1] + 1))

    def texts_centred_in(self, box: Box) -> list[ScreenText]:
        """Texts (in reading order) whose centre lies inside ``box``."""
        return [t for t in self._text_centres.near(box) if box.contains(*t.box.center)]

    def _index(self, t: ScreenText) -> int | None:
        i = self._text_index.get(id(t))
        return i if i is not None and self.texts[i] is t else None

    def size_of(self, t: ScreenText) -> float:
        """Estimated font size (em) of ``t`` in pixels."""
        idx = self._index(t)
        if idx is not None and idx in self._sizes:
            return self._sizes[idx]
        ink = self._ink_of(t)
        return measure.em_size(t.text, ink) if ink is not None else t.box.height / 1.2

    def relative_size(self, t: ScreenText) -> float:
        """Font size of ``t`` over the screen's body median (cheap; no CTA needed)."""
        return self.size_of(t) / self.body_size if self.body_size else 1.0

    def metrics(self, t: ScreenText) -> TextMetrics:
        idx = self._index(t)
        if idx is not None and idx in self._metrics:
            return self._metrics[idx]
        ink = self._inks.get(idx) if idx is not None else self._ink_of(t)
        lh = ink.line_height if ink is not None else float(t.box.height)
        size = self.size_of(t)
        cta = self.primary_cta
        after = cta is not None and t.box.y1 >= cta.box.y2 and not cta.box.overlaps(t.box)
        dist = None
        if cta is not None:
            gap = max(cta.box.y1 - t.box.y2, t.box.y1 - cta.box.y2, 0)
            dist = self.dp(gap)
        m = TextMetrics(
            text=t, line_height_px=lh, line_height_dp=self.dp(lh),
            relative_size=size / self.body_size if self.body_size else 1.0,
            fg=ink.fg if ink else None, bg=ink.bg if ink else None,
            contrast=ink.contrast if ink else None,
            below_fold=t.box.y1 + self.scroll_offset >= self.height, after_cta=after, distance_to_cta_dp=dist,
            size_px=size, size_dp=self.dp(size))
        if idx is not None:
            self._metrics[idx] = m
        return m

    # ------------------------------------------------------------------ buttons
    def _button_at(self, box: Box, text: str, source: Source, resource_id: str = "") -> Button:
        if not self.secure and not self._spend(box):
            # over the pixel budget: a plain, unmeasured control
            area_dp2 = self.dp(box.width) * self.dp(box.height)
            return Button(box, text, source, False, None, 0.0, 1.0, None, area_dp2,
                          area_dp2 / 4.5, resource_id)
        fill = measure.fill_of(self.image, box)
        around = measure.surround_colour(self.image, box)
        fill_contrast = measure.contrast_ratio(fill, around)
        # tonal buttons (#F2F2F2 on white) count as filled: a visible container, not bare text
        filled = (not self.secure and widgets._dist(fill, around) > FILL_DISTANCE)
        ink = None if self.secure else self.ink(box, bg=fill if filled else None)
        label_contrast = ink.contrast if ink else None
        sat = measure.saturation(fill) if filled else 0.0
        if filled:
            visual = box
            strength = fill_contrast
        else:
            visual = ink.box if ink else box
            strength = min(1.0, (label_contrast or 1.0) / 4.5)
        area_dp2 = self.dp(visual.width) * self.dp(visual.height)
        return Button(box, text, source, filled, fill if filled else None, sat,
                      fill_contrast if filled else 1.0, label_contrast, area_dp2,
                      area_dp2 * (1 + sat) * strength, resource_id)

    @cached_property
    def shapes(self) -> list[widgets.Shape]:
        """Closed control-like shapes found by OpenCV (computed once per screen)."""
        return [] if self.secure else widgets.find_shapes(self.image, self.density)

    def ink(self, box: Box, bg: measure.RGB | None = None) -> measure.Ink | None:
        """``measure.ink`` on this screen, measured once per box (detectors ask again)."""
        key = (box, bg)
        memo = self.__dict__.setdefault("_ink_memo", {})
        if key not in memo:
            # within the screen's pixel budget (None once it is spent)
            memo[key] = measure.ink(self.image, box, bg=bg) if self._spend(box) else None
        return memo[key]

    @cached_property
    def modals(self) -> list[Any]:
        """Cards drawn over a scrim found in the pixels (``detect.screen.modal.Modal``; once
        per screen: the context and the nagging detector both use them)."""
        if self.secure:
            return []
        from darkscan.detect.screen.modal import find_modals

        return find_modals(self.image)

    @cached_property
    def ad_views(self) -> list[Box]:
        """Views an ad SDK draws (``lexicon.promo.is_ad_view``: ad_ / gdt_ / csj_ / tt_ /
        ksad ids, AdMob / Pangle / GDT classes), at least 24 dp on a side, outermost only."""
        from darkscan.lexicon.promo import is_ad_view

        found = sorted((n.bounds.clip(self.width, self.height) for n in self.nodes
                        if is_ad_view(n.resource_id or "", n.cls or "")),
                       key=lambda b: -b.area)
        out: list[Box] = []
        for b in found:
            if min(self.dp(b.width), self.dp(b.height)) < 24 or any(
                    o.intersection(b).area >= 0.8 * b.area for o in out):
                continue
            out.append(b)
        return out

    @cached_property
    def widgets(self) -> list[Widget]:
        """Controls recognised from pixels alone (``vision.widgets``): checkboxes, radios and
        switches with their state, buttons with their emphasis, icon-only controls of the
        header (app bar). The hierarchy is not read."""
        if self.secure:
            return []
        texts = [t for t in self.texts if not t.from_desc]
        found = widgets.find_widgets(self.image, self.density, texts, self.shapes)
        buttons = widgets.find_buttons(self.image, self.density, texts, self.shapes,
                                       exclude=[w.box for w in found])
        return found + buttons + widgets.find_icon_buttons(
            self.image, self.density, texts, exclude=[w.box for w in found + buttons])

    @cached_property
    def modal(self) -> Box | None:
        """The dialog / bottom-sheet card drawn over a scrim, if any (pixels)."""
        if self._window is not None:
            return self._window
        if self.secure:
            return None
        modals = self.modals
        return min((m.box for m in modals), key=lambda b: b.area) if modals else None

    def active(self, box: Box) -> bool:
        """False when ``box`` lies under a modal's scrim (not tappable while the modal shows)."""
        return self.modal is None or self.modal.contains(*box.center)

    @cached_property
    def buttons(self) -> list[Button]:
        """Tappable controls with labels; those dimmed under a modal's scrim are left out."""
        return [b for b in self._all_buttons if self.active(b.box)]

    @cached_property
    def _all_buttons(self) -> list[Button]:
        out: list[Button] = []
        limit = 0.4 * self.width * self.height
        for n in self.nodes:
            if not n.clickable or n.checkable or n.bounds.area > limit:
                continue
            b = n.bounds.clip(self.width, self.height)
            if b.empty or self.dp(b.height) > 160:
                continue
            inside = self.texts_centred_in(b)
            label = " ".join(t.text for t in inside if not t.from_desc) or (
                n.text or n.content_desc or "")
            if not label.strip():
                continue
            out.append(self._button_at(b, label.strip(), Source.HIERARCHY, n.resource_id or ""))
        if self.secure:
            return out
        taken = [b.box for b in out]
        for box in widgets.find_filled_buttons(self.image, self.density, self.shapes):
            if any(box.iou(t) > 0.5 or t.contains(*box.center) for t in taken):
                continue
            inside = self.texts_centred_in(box)
            if not inside:
                continue
            out.append(self._button_at(box, " ".join(t.text for t in inside), Source.PIXELS))
            taken.append(box)
        # text-only actions drawn in pixels ("No thanks", "跳过") outside any button
        for t in self.texts:
            if t.source is not Source.OCR or any(b.contains(*t.box.center) for b in taken):
                continue
            if self.relative_size(t) > 1.3:
                continue  # a heading, not a button label
            if self.is_accept(t.text) or self.is_decline(t.text):
                pad = int(self.px(4))
                box = Box(t.box.x1 - pad, t.box.y1 - pad, t.box.x2 + pad, t.box.y2 + pad).clip(
                    self.width, self.height)
                out.append(self._button_at(box, t.text, Source.OCR))
                taken.append(box)
        return out

    @cached_property
    def primary_cta(self) -> Button | None:
        """The most prominent button whose label accepts / subscribes / continues."""
        cands = [b for b in self.buttons if self.is_accept(b.text)]
        if not cands:
            cands = [b for b in self.buttons if b.filled and not self.is_decline(b.text)]
        return max(cands, key=lambda b: b.prominence) if cands else None

    # ------------------------------------------------------------------ toggles
    def _first_seen_state(self, b: Box) -> bool | None:
        if b in self.first_seen:
            return self.first_seen[b]
        best = max(self.first_seen.items(), key=lambda kv: kv[0].iou(b), default=None)
        if best is not None and best[0].iou(b) > 0.8:
            return best[1]
        return None

    @cached_property
    def _text_rows(self) -> BoxGrid[ScreenText]:
        return BoxGrid([t for t in self.texts if not t.from_desc],
                       lambda t: Box(0, t.box.y1 - 4, 1, t.box.y2 + 5), cell_w=1 << 30, cell_h=32)

    def _label_near(self, b: Box) -> ScreenText | None:
        cy = (b.y1 + b.y2) / 2
        row = [t for t in self._text_rows.at(0, cy) if t.box.y1 - 4 <= cy <= t.box.y2 + 4
               and not t.box.overlaps(b)]
        if not row:
            return None
        return min(row, key=lambda t: min(abs(t.box.x1 - b.x2), abs(b.x1 - t.box.x2)))

    @cached_property
    def toggles(self) -> list[Toggle]:
        out: list[Toggle] = []
        for n in self.nodes:
            if not n.checkable:
                continue
            cls = (n.cls or "").lower()
            kind = (ToggleKind.SWITCH if "switch" in cls or "togglebutton" in cls
                    else ToggleKind.RADIO if "radio" in cls else ToggleKind.CHECKBOX)
            label, label_box = (n.text or "").strip(), None
            if not label:
                near = self._label_near(n.bounds)
                if near is not None:
                    label, label_box = near.text, near.box
            else:
                label_box = n.bounds
            if not label:
                label = (n.content_desc or "").strip()
            seen = self._first_seen_state(n.bounds)
            checked = bool(n.checked) if seen is None else seen
            out.append(Toggle(kind, n.bounds, checked, label, label_box, Source.HIERARCHY,
                              first_seen=seen is not None, resource_id=n.resource_id or ""))
        if not self.secure and (not self.nodes or self._ocr_regions()):
            # controls drawn in pixels: plain screenshots, or inside WebViews / images
            texts = [t for t in self.texts if not t.from_desc]
            regions = self._ocr_regions()
            taken = [t.box for t in out]
            for tg in widgets.find_toggles(self.image, self.density, texts, self.shapes):
                if any(tg.box.overlaps(b) for b in taken):
                    continue
                if self.nodes and not any(r.contains(*tg.box.center) for r in regions):
                    continue
                out.append(tg)
        return out

    # ------------------------------------------------------------------ close / skip
    @cached_property
    def close_targets(self) -> list[CloseTarget]:
        out: list[CloseTarget] = []
        seen: list[Box] = []
        frame = Box(0, 0, self.width, self.height)
        for t in self.texts:
            if not frame.contains(*t.box.center):
                continue  # below the fold (a long screen's off-screen node): not a way out now
            label = t.text
            rid = (t.resource_id or "").lower()
            is_close = detectors.has(Lex.CLOSE_SKIP, label) or (
                t.from_desc and fold(label) in ("close", "关闭", "關閉", "skip",
                                                              "跳过", "跳過", "dismiss"))
            if not is_close and any(k in rid.rsplit("/", 1)[-1] for k in ("close", "skip")):
                is_close = len(fold(label)) <= 8
            if not is_close:
                continue
            if t.node_box is not None:
                node = self._smallest_clickable_around(t.node_box)
                box = node.bounds if node is not None else t.node_box
            else:
                box = self._pixel_target_around(t.box)
            box = box.clip(self.width, self.height) if not box.clip(
                self.width, self.height).empty else box
            if any(box.iou(s) > 0.5 for s in seen):
                continue
            seen.append(box)
            ink = None if (self.secure or t.from_desc) else self.ink(
                Box(t.box.x1 - 2, t.box.y1 - 2, t.box.x2 + 2, t.box.y2 + 2))
            out.append(CloseTarget(box, label, t.source, self.dp(box.width), self.dp(box.height),
                                   ink.contrast if ink else None,
                                   detectors.has(Lex.COUNTDOWN, label)))
        for n in self.nodes:  # icon-only close buttons: clickable, no text, close/skip id
            rid = (n.resource_id or "").lower().rsplit("/", 1)[-1]
            if n.clickable and not (n.text or n.content_desc) and (
                    "close" in rid or "skip" in rid) and not any(
                    n.bounds.iou(s) > 0.5 for s in seen):
                seen.append(n.bounds)
                out.append(CloseTarget(n.bounds, "", Source.HIERARCHY, self.dp(n.bounds.width),
                                       self.dp(n.bounds.height), None, False))
        return out

    def _pixel_target_around(self, box: Box) -> Box:
        """The chip/shape drawn around an OCR'd close label, else the label box itself."""
        if self.secure:
            return box
        for s in self.shapes:
            if s.box.contains(*box.center) and s.box.area <= 16 * max(box.area, 1):
                return s.box
        return box


def first_seen_from_record(record: Mapping[str, Any],
                           scroll: int | None = None) -> dict[Box, bool]:
    """``screens/<id>.json`` widgets -> {bounds: checked_first_seen} for checkable widgets
    (``scroll``: only those recorded at that many swipes, whose bounds are that viewport's)."""
    out: dict[Box, bool] = {}
    widgets_ = record.get("widgets", [])
    if not isinstance(widgets_, list):
        raise RunFolderError("screen record: 'widgets' is not a list")
    for w in widgets_:
        if not isinstance(w, dict) or not w.get("checkable"):
            continue
        if scroll is not None and w.get("scroll", 0) != scroll:
            continue
        b = w.get("bounds")
        if isinstance(b, (list, tuple)) and len(b) == 4:
            out[Box(*[int(v) for v in b])] = bool(w.get("checked_first_seen", False))
    return out


def texts_matching(ctx: ScreenContext, kind: Lex,
                   texts: Iterable[ScreenText] | None = None) -> list[ScreenText]:
    return [t for t in (ctx.texts if texts is None else texts) if detectors.has(kind, t.text)]


def union_box(boxes: Sequence[Box]) -> Box:
    out = boxes[0]
    for b in boxes[1:]:
        out = out.union(b)
    return out


__all__ = ["ImageError", "ScreenContext", "first_seen_from_record", "texts_matching", "union_box"]
