"""Matching predicted boxes to labelled boxes, and precision / recall / F1.

The counting rule (docs/eval.md), per screen and per evaluation category:

* a **prediction** is correct when its box overlaps at least one labelled box of that category
  (overlap = a non-empty intersection, or IoU >= ``min_iou`` when ``min_iou`` > 0);
* a **labelled box** is found when at least one prediction of that category overlaps it;
* precision = correct predictions / predictions; recall = found labels / labels, summed over
  all screens (micro-averaged); F1 = their harmonic mean.

Several predictions on one labelled box are all correct (a region may be flagged by two rules);
one prediction spanning two labelled boxes finds both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from darkscan.geometry import Box


def boxes_match(pred: Box, gold: Box, min_iou: float = 0.0) -> bool:
    if min_iou <= 0.0:
        return pred.overlaps(gold)
    return pred.iou(gold) >= min_iou


@dataclass(frozen=True)
class ScreenMatch:
    """Matching of one screen and one category: which predictions / labels matched."""

    correct: tuple[bool, ...]  # per prediction
    found: tuple[bool, ...]    # per labelled box


def match_boxes(predictions: Sequence[Box], labels: Sequence[Box],
                min_iou: float = 0.0) -> ScreenMatch:
    correct = tuple(any(boxes_match(p, g, min_iou) for g in labels) for p in predictions)
    found = tuple(any(boxes_match(p, g, min_iou) for p in predictions) for g in labels)
    return ScreenMatch(correct, found)


@dataclass(frozen=True)
class Counts:
    """Summed counts for one category. ``precision`` is None with no predictions,
    ``recall`` None with no labels."""

    predictions: int = 0
    correct: int = 0
    labels: int = 0
    found: int = 0
    screens: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.predictions + other.predictions, self.correct + other.correct,
                      self.labels + other.labels, self.found + other.found,
                      self.screens + other.screens)

    @classmethod
    def of(cls, m: ScreenMatch) -> Counts:
        return cls(len(m.correct), sum(m.correct), len(m.found), sum(m.found), 1)

    @property
    def precision(self) -> float | None:
        return self.correct / self.predictions if self.predictions else None

    @property
    def recall(self) -> float | None:
        return self.found / self.labels if self.labels else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None and r is None:
            return None
        p, r = p or 0.0, r or 0.0
        return 2 * p * r / (p + r) if p + r > 0 else 0.0

    def to_dict(self) -> dict[str, float | int | None]:
        def rnd(v: float | None) -> float | None:
            return None if v is None else round(v, 4)

        return {"predictions": self.predictions, "correct": self.correct,
                "labels": self.labels, "found": self.found, "screens": self.screens,
                "precision": rnd(self.precision), "recall": rnd(self.recall), "f1": rnd(self.f1)}


def total(counts: Iterable[Counts]) -> Counts:
    out = Counts()
    for c in counts:
        out = out + c
    return out
