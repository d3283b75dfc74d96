"""Pixel rectangles shared by every stage (hierarchy bounds, OCR boxes, finding boxes)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Box:
    """An axis-aligned rectangle in screen pixels, right/bottom exclusive (like Android bounds)."""

    x1: int
    y1: int
    x2: int
    y2: int

    @property
    def width(self) -> int:
        return max(0, self.x2 - self.x1)

    @property
    def height(self) -> int:
        return max(0, self.y2 - self.y1)

    @property
    def area(self) -> int:
        return self.width * self.height

    @property
    def center(self) -> tuple[int, int]:
        return ((self.x1 + self.x2) // 2, (self.y1 + self.y2) // 2)

    @property
    def empty(self) -> bool:
        return self.width == 0 or self.height == 0

    def contains(self, x: float, y: float) -> bool:
        return self.x1 <= x < self.x2 and self.y1 <= y < self.y2

    def intersection(self, other: Box) -> Box:
        x1, y1 = max(self.x1, other.x1), max(self.y1, other.y1)
        x2, y2 = min(self.x2, other.x2), min(self.y2, other.y2)
        if x2 <= x1 or y2 <= y1:
            return Box(0, 0, 0, 0)
        return Box(x1, y1, x2, y2)

    def iou(self, other: Box) -> float:
        inter = self.intersection(other).area
        union = self.area + other.area - inter
        return inter / union if union else 0.0

    def overlaps(self, other: Box) -> bool:
        return not self.intersection(other).empty

    def clip(self, width: int, height: int) -> Box:
        return Box(
            min(max(self.x1, 0), width),
            min(max(self.y1, 0), height),
            min(max(self.x2, 0), width),
            min(max(self.y2, 0), height),
        )

    def union(self, other: Box) -> Box:
        return Box(
            min(self.x1, other.x1), min(self.y1, other.y1),
            max(self.x2, other.x2), max(self.y2, other.y2),
        )

    def as_list(self) -> list[int]:
        return [self.x1, self.y1, self.x2, self.y2]

    @classmethod
    def from_xywh(cls, x: float, y: float, w: float, h: float) -> Box:
        return cls(int(round(x)), int(round(y)), int(round(x + w)), int(round(y + h)))
