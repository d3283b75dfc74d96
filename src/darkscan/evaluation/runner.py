"""Run detectors over a labelled set and score them per category.

``evaluate(dataset, predictor)`` loads every screenshot (resized to its labelled size when the
stored file differs, so predictions and labels share one coordinate space), asks the predictor
for findings, maps them to evaluation categories and matches them (:mod:`.matching`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import Enum
from typing import Any, Callable, Mapping, Protocol, Sequence

import numpy as np
from PIL import Image, UnidentifiedImageError

from darkscan.detect.finding import Finding, Severity
from darkscan.errors import ImageError, InputError
from darkscan.evaluation.labels import Dataset, LabelledScreen
from darkscan.evaluation.matching import Counts, ScreenMatch, match_boxes, total


class Split(str, Enum):
    """Which screens to score: all, or one of two fixed halves (tune on one, report the other).

    The halves are chosen by a hash of the screen name, so they never depend on the order of
    the labels file or on the detector.
    """

    ALL = "all"
    A = "a"
    B = "b"

    def includes(self, name: str) -> bool:
        if self is Split.ALL:
            return True
        bit = hashlib.blake2b(name.encode("utf-8"), digest_size=2).digest()[0] & 1
        return (bit == 0) == (self is Split.A)


class Predictor(Protocol):
    def __call__(self, image: np.ndarray, hierarchy_xml: str | None,
                 density: float | None) -> Sequence[Finding]: ...


def load_image(screen: LabelledScreen) -> np.ndarray:
    """The screenshot as RGB uint8 at the labelled size (resized if stored at another size)."""
    try:
        with Image.open(screen.image) as im:
            rgb = im.convert("RGB")
    except (UnidentifiedImageError, OSError) as e:
        raise ImageError(f"{screen.image}: cannot read the image ({e})") from None
    if rgb.size != (screen.width, screen.height):
        rgb = rgb.resize((screen.width, screen.height), Image.Resampling.LANCZOS)
    return np.asarray(rgb)


def load_hierarchy(screen: LabelledScreen) -> str | None:
    if screen.hierarchy is None:
        return None
    try:
        return screen.hierarchy.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{screen.hierarchy}: cannot read the hierarchy ({e})") from None


@dataclass(frozen=True)
class ScreenResult:
    screen: LabelledScreen
    findings: tuple[Finding, ...]
    matches: Mapping[str, ScreenMatch]  # per evaluation category
    predictions: Mapping[str, tuple[Finding, ...]]

    def to_dict(self) -> dict[str, Any]:
        cats: dict[str, Any] = {}
        for c, m in self.matches.items():
            cats[c] = {
                "predictions": [{"bbox": f.bbox.as_list(), "category": f.category.value,
                                 "rule": f.rule, "correct": ok}
                                for f, ok in zip(self.predictions[c], m.correct)],
                "labels": [{"bbox": b.as_list(), "found": ok}
                           for b, ok in zip(self.screen.boxes_of(c), m.found)],
            }
        return {"name": self.screen.name, "width": self.screen.width,
                "height": self.screen.height, "categories": cats}


@dataclass(frozen=True)
class EvalReport:
    dataset: Dataset
    split: Split
    min_iou: float
    results: tuple[ScreenResult, ...]

    @property
    def counts(self) -> dict[str, Counts]:
        return {c: total(Counts.of(r.matches[c]) for r in self.results)
                for c in self.dataset.categories}

    def flagged(self, severities: tuple[Severity, ...] = (Severity.HIGH, Severity.MEDIUM)
                ) -> tuple[ScreenResult, ...]:
        """Screens with at least one finding of these severities (any category): on a corpus
        of real screens that seldom hold dark patterns, the share a reviewer would have to
        look at."""
        return tuple(r for r in self.results if any(f.severity in severities
                                                    for f in r.findings))

    def to_dict(self, *, screens: bool = True) -> dict[str, Any]:
        flagged = self.flagged()
        d: dict[str, Any] = {
            "dataset": str(self.dataset.root), "format": self.dataset.format.value,
            "split": self.split.value, "min_iou": self.min_iou, "screens": len(self.results),
            "mapping": {k: sorted(c.value for c in v) for k, v in self.dataset.mapping.items()},
            "ignored_categories": list(self.dataset.ignored_categories),
            "categories": {c: n.to_dict() for c, n in self.counts.items()},
            "flagged_screens": {"severity": ["high", "medium"], "screens": len(flagged),
                                "of": len(self.results),
                                "names": [r.screen.name for r in flagged]},
        }
        if screens:
            d["results"] = [r.to_dict() for r in self.results]
        return d


def score_screen(dataset: Dataset, screen: LabelledScreen, findings: Sequence[Finding],
                 min_iou: float = 0.0) -> ScreenResult:
    """Match one screen's findings against its labels, per evaluation category."""
    matches: dict[str, ScreenMatch] = {}
    preds: dict[str, tuple[Finding, ...]] = {}
    for cat in dataset.categories:
        mine = tuple(f for f in findings
                     if f.category in dataset.mapping[cat] and not f.bbox.empty)
        preds[cat] = mine
        matches[cat] = match_boxes([f.bbox for f in mine], screen.boxes_of(cat), min_iou)
    return ScreenResult(screen, tuple(findings), matches, preds)


def evaluate(dataset: Dataset, predictor: Predictor, *, min_iou: float = 0.0,
             split: Split = Split.ALL,
             progress: Callable[[LabelledScreen], None] | None = None) -> EvalReport:
    """Run ``predictor`` on every screen of ``dataset`` in ``split`` and score it."""
    if min_iou < 0.0 or min_iou > 1.0:
        raise InputError(f"min IoU must be between 0 and 1, got {min_iou}")
    results = []
    for screen in dataset.screens:
        if not split.includes(screen.name):
            continue
        findings = predictor(load_image(screen), load_hierarchy(screen), screen.density)
        results.append(score_screen(dataset, screen, findings, min_iou))
        if progress is not None:
            progress(screen)
    return EvalReport(dataset, split, min_iou, tuple(results))
