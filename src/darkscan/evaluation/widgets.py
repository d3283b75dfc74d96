"""Pixel-only widgets scored against real view trees (DroidBot crawls).

A DroidBot output folder holds ``states/state_<tag>.json`` (the view tree: ``class``,
``bounds``, ``checked``, ``visible`` of every view) beside ``states/screen_<tag>.jpg``. The
view tree is free ground truth for the controls darkscan reads from pixels:

* checkbox  <- ``*CheckBox`` (and ``CheckedTextView``); radio <- ``*RadioButton``;
  switch <- ``*Switch*`` (``Switch``, ``SwitchCompat``, ``SwitchMaterial``);
  button <- ``*Button`` (``Button``, ``MaterialButton``, ``AppCompatButton``) and
  ``ToggleButton`` (drawn as a button; its state is not scored). ``ImageButton`` is an icon and
  is not a button here.
* Only views marked visible, at least ``MIN_SIDE_PX`` on each side once clipped to the screen.

**Coordinates.** View bounds are in the device's screen pixels; the screenshot may be larger
(a 1080x1920 screen captured into a 1080x2340 frame, padded black) or scaled. The scale is the
screenshot width over the screen width, and the screen width is the widest root that starts
at x = 0, or for a centred dialog window ``x1 + x2`` of its root.

**Scope.** Only the foreground app window(s) of the tree are labelled: predictions whose
centre lies outside every root's bounds (the dimmed activity under a dialog, the black
padding) are not scored. System UI windows (``com.android.systemui``: status bar,
notification shade, whose quick-settings tiles are ``Switch`` views drawn as tiles) are no
app screen, as everywhere in darkscan: their views are not truth and their area not scored.

**Stale trees.** A state whose tree holds no window of the foreground activity's package
(DroidBot dumped the previous app's tree while the launcher was already on screen) is
skipped: the tree does not describe the screenshot.

**Matching** (one to one, same kind, best first): a prediction matches a truth widget when
their IoU >= ``MIN_IOU``, or when >= ``MIN_INSIDE`` of the prediction lies inside the truth
bounds (a view's bounds carry touch padding, and a ``Switch`` with text spans its whole row
while the pixels show only the control at its end). Detection precision = matched
predictions / predictions, recall = matched truth / truth; state accuracy = matched toggles
whose on/off agrees with ``checked``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, UnidentifiedImageError

from darkscan.errors import ImageError, InputError
from darkscan.geometry import Box
from darkscan.vision.model import Widget, WidgetKind

MIN_IOU = 0.5
MIN_INSIDE = 0.8
MIN_SIDE_PX = 8
SYSTEM_UI = ("com.android.systemui",)


def kind_of_class(cls: str) -> WidgetKind | None:
    """The widget kind a view class is drawn as (None: not a control scored here)."""
    short = (cls or "").rsplit(".", 1)[-1]
    if short.endswith("CheckBox") or short == "CheckedTextView":
        return WidgetKind.CHECKBOX
    if short.endswith("RadioButton"):
        return WidgetKind.RADIO
    if "Switch" in short:
        return WidgetKind.SWITCH
    if short.endswith("ImageButton"):
        return None
    if short.endswith("Button"):  # Button, MaterialButton, ToggleButton
        return WidgetKind.BUTTON
    return None


@dataclass(frozen=True)
class TruthWidget:
    kind: WidgetKind
    box: Box                  # screenshot pixels
    checked: bool | None      # None: no on/off state scored (buttons)
    cls: str
    text: str = ""


@dataclass(frozen=True)
class WidgetScreen:
    name: str                 # "<app>/<tag>"
    app: str
    image: Path
    windows: tuple[Box, ...]  # the roots' bounds, screenshot pixels
    truth: tuple[TruthWidget, ...]

    def in_scope(self, box: Box) -> bool:
        cx, cy = box.center
        return any(w.contains(cx, cy) for w in self.windows)


def _bounds(v: dict[str, Any]) -> Box | None:
    try:
        (x1, y1), (x2, y2) = v["bounds"]
        return Box(int(x1), int(y1), int(x2), int(y2))
    except (KeyError, TypeError, ValueError):
        return None


def _screen_width(views: Sequence[dict[str, Any]]) -> int | None:
    boxes = [b for b in (_bounds(v) for v in views) if b is not None and not b.empty]
    from_zero = [b.x2 for b in boxes if b.x1 == 0]
    if from_zero:
        return max(from_zero)
    roots = [b for v, b in zip(views, (_bounds(v) for v in views))
             if b is not None and v.get("parent", -1) in (-1, None)]
    return max((b.x1 + b.x2 for b in roots), default=None)


def _scaled(b: Box, s: float) -> Box:
    return Box(round(b.x1 * s), round(b.y1 * s), round(b.x2 * s), round(b.y2 * s))


def _stale(data: dict[str, Any], views: Sequence[dict[str, Any]]) -> bool:
    """The tree was dumped from another app than the one in front (DroidBot caught the
    previous window while the launcher was already shown): tree and screenshot disagree."""
    front = str(data.get("foreground_activity") or "").split("/", 1)[0]
    packages = {v.get("package") for v in views if v.get("parent", -1) in (-1, None)}
    packages -= {None, *SYSTEM_UI}
    return bool(front and packages and front not in packages)


def read_state(state: Path, image: Path) -> WidgetScreen | None:
    """One DroidBot state as a scored screen (None: no views, or a stale tree)."""
    try:
        data = json.loads(state.read_text("utf-8"))
        views = data["views"]
        with Image.open(image) as im:
            iw, ih = im.size
    except (OSError, ValueError, KeyError, TypeError, UnidentifiedImageError) as e:
        raise InputError(f"{state}: cannot read the state or its screenshot ({e})") from None
    if not isinstance(views, list) or not views:
        return None
    sw = _screen_width(views)
    if not sw or _stale(data, views):
        return None
    s = iw / sw
    roots = [_scaled(b, s).clip(iw, ih) for v, b in ((v, _bounds(v)) for v in views)
             if b is not None and not b.empty and v.get("parent", -1) in (-1, None)
             and v.get("package") not in SYSTEM_UI]
    if not roots:
        return None
    screen = roots[0]
    for r in roots[1:]:
        screen = screen.union(r)
    truth = []
    for v in views:
        b = _bounds(v)
        kind = kind_of_class(str(v.get("class") or ""))
        if (b is None or kind is None or not v.get("visible", True)
                or v.get("package") in SYSTEM_UI):
            continue
        # clipped to the windows: a view scrolled out of them to a sliver is not seen
        box = _scaled(b, s).intersection(screen)
        if box.width < MIN_SIDE_PX or box.height < MIN_SIDE_PX:
            continue
        cls = str(v.get("class") or "")
        checked = (bool(v.get("checked")) if kind is not WidgetKind.BUTTON else None)
        truth.append(TruthWidget(kind, box, checked, cls, str(v.get("text") or "")))
    app = state.parent.parent.name
    tag = state.stem.removeprefix("state_")
    return WidgetScreen(f"{app}/{tag}", app, image, tuple(roots), tuple(truth))


def load_droidbot(root: Path) -> list[WidgetScreen]:
    """Every state with a screenshot under ``root`` (one crawl, or a folder of crawls)."""
    root = Path(root)
    if not root.is_dir():
        raise InputError(f"{root}: not a folder")
    out = []
    for state in sorted(root.glob("**/states/state_*.json")):
        image = state.with_name(state.name.replace("state_", "screen_", 1)).with_suffix(".jpg")
        if not image.is_file():
            image = image.with_suffix(".png")
        if not image.is_file():
            continue
        screen = read_state(state, image)
        if screen is not None:
            out.append(screen)
    if not out:
        raise InputError(f"{root}: no DroidBot states (states/state_*.json with a screenshot)")
    return out


@dataclass
class KindCounts:
    predictions: int = 0
    correct: int = 0
    truth: int = 0
    found: int = 0
    state_scored: int = 0
    state_correct: int = 0

    def add(self, o: KindCounts) -> None:
        for k in vars(self):
            setattr(self, k, getattr(self, k) + getattr(o, k))

    @property
    def precision(self) -> float | None:
        return self.correct / self.predictions if self.predictions else None

    @property
    def recall(self) -> float | None:
        return self.found / self.truth if self.truth else None

    @property
    def state_accuracy(self) -> float | None:
        return self.state_correct / self.state_scored if self.state_scored else None

    def to_dict(self) -> dict[str, Any]:
        def r(v: float | None) -> float | None:
            return None if v is None else round(v, 4)

        return {**vars(self), "precision": r(self.precision), "recall": r(self.recall),
                "state_accuracy": r(self.state_accuracy)}


def _pair_score(p: Box, t: Box) -> float:
    """> 0 when ``p`` may stand for ``t``: IoU, else the share of ``p`` inside ``t`` (scaled
    below any IoU match so that real overlaps win)."""
    iou = p.iou(t)
    if iou >= MIN_IOU:
        return 1.0 + iou
    inside = p.intersection(t).area / p.area if p.area else 0.0
    return inside if inside >= MIN_INSIDE else 0.0


@dataclass(frozen=True)
class ScreenWidgets:
    screen: WidgetScreen
    predictions: tuple[Widget, ...]
    matches: tuple[tuple[int, int], ...]   # (prediction index, truth index)

    def counts(self) -> dict[WidgetKind, KindCounts]:
        out = {k: KindCounts() for k in WidgetKind}
        for p in self.predictions:
            out[p.kind].predictions += 1
        for t in self.screen.truth:
            out[t.kind].truth += 1
        for pi, ti in self.matches:
            p, t = self.predictions[pi], self.screen.truth[ti]
            c = out[t.kind]
            c.correct += 1
            c.found += 1
            if t.checked is not None and p.checked is not None:
                c.state_scored += 1
                c.state_correct += int(p.checked == t.checked)
        return out


def match_screen(screen: WidgetScreen, predictions: Iterable[Widget]) -> ScreenWidgets:
    preds = tuple(p for p in predictions if screen.in_scope(p.box))
    cands = []
    for i, p in enumerate(preds):
        for j, t in enumerate(screen.truth):
            if p.kind is t.kind:
                s = _pair_score(p.box, t.box)
                if s > 0:
                    cands.append((s, i, j))
    used_p: set[int] = set()
    used_t: set[int] = set()
    matches = []
    for _s, i, j in sorted(cands, reverse=True):
        if i in used_p or j in used_t:
            continue
        used_p.add(i)
        used_t.add(j)
        matches.append((i, j))
    return ScreenWidgets(screen, preds, tuple(sorted(matches)))


@dataclass
class WidgetReport:
    results: list[ScreenWidgets] = field(default_factory=list)

    def counts(self, apps: Sequence[str] | None = None) -> dict[WidgetKind, KindCounts]:
        out = {k: KindCounts() for k in WidgetKind}
        for r in self.results:
            if apps is not None and r.screen.app not in apps:
                continue
            for k, c in r.counts().items():
                out[k].add(c)
        return out

    def toggles(self, apps: Sequence[str] | None = None) -> KindCounts:
        """Checkboxes, radios and switches together."""
        out = KindCounts()
        for k, c in self.counts(apps).items():
            if k is not WidgetKind.BUTTON:
                out.add(c)
        return out

    def to_dict(self, apps: Sequence[str] | None = None) -> dict[str, Any]:
        return {"screens": sum(1 for r in self.results
                               if apps is None or r.screen.app in apps),
                "kinds": {k.value: c.to_dict() for k, c in self.counts(apps).items()},
                "toggles": self.toggles(apps).to_dict()}


Detector = Callable[[np.ndarray], Sequence[Widget]]


def load_rgb(path: Path) -> np.ndarray:
    try:
        with Image.open(path) as im:
            return np.asarray(im.convert("RGB"))
    except (OSError, UnidentifiedImageError) as e:
        raise ImageError(f"{path}: cannot read the image ({e})") from None


def evaluate_widgets(screens: Sequence[WidgetScreen], detect: Detector,
                     progress: Callable[[WidgetScreen], None] | None = None) -> WidgetReport:
    report = WidgetReport()
    for s in screens:
        report.results.append(match_screen(s, detect(load_rgb(s.image))))
        if progress is not None:
            progress(s)
    return report


# The F-Droid crawls the recognisers were tuned on; the other apps there are held out.
TUNED_APPS = ("bluepie.ad_silence", "anupam.acrylic", "com.uberspot.a2048")
# Screens of ~1080 x 2340 are read with the OCR's text detector capped at this side.
OCR_SIDE = 1280


def pixel_detector(ocr: Any = None, *, density: float | None = None) -> Detector:
    """darkscan's pixel-only widgets (no hierarchy). With an OCR engine: everything
    ``ScreenContext(image).widgets`` finds (texts keep glyphs from being read as controls and
    give text buttons). Without one: checkboxes, radios and switches from shapes alone."""
    from darkscan.vision.context import ScreenContext
    from darkscan.vision.widgets import find_widgets

    def detect(image: np.ndarray) -> list[Widget]:
        if ocr is None:
            d = density or max(0.75, image.shape[1] / 360.0)
            return find_widgets(image, d)
        return list(ScreenContext(image, None, density=density, ocr=ocr).widgets)

    return detect


def ocr_for_widgets(cache_dir: Path | None = None) -> Any:
    """The PP-OCR engine the widget evaluation reads text with (text detector capped at
    ``OCR_SIDE``), cached on disk in ``cache_dir`` when given."""
    from darkscan.vision.ocr import CachedOcrEngine, RapidOcrEngine

    return CachedOcrEngine(RapidOcrEngine(limit_side_len=OCR_SIDE), cache_dir=cache_dir)
