"""Long screens: the viewports a screen taller than the display is seen in, and their stitch.

The observer swipes a new scrollable screen to its end (:mod:`darkscan.crawl.observe`). Each
swipe position is a *segment*: the screenshot and hierarchy exactly as a user sees them there,
and its ``offset``, how many pixels the scrolling content has moved up since the top. A point
(x, y) of a segment inside the scroller is at (x, y + offset) on the whole screen; outside the
scroller (app bar, tab bar) nothing moves. Per-screen detectors run on every segment
(:func:`darkscan.analysis.analyze_run`); the report shows the stitched whole screen.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np

from darkscan.device.hierarchy import Hierarchy, Node
from darkscan.geometry import Box

__all__ = ["Segment", "WholeHierarchy", "below_the_top", "scroll_offset", "stitch"]


@dataclass(frozen=True)
class Segment:
    """The screen after ``scroll`` swipes from the top."""

    scroll: int
    offset: int                                       # content moved up since the top, px
    xml: str = field(default="", repr=False)
    image: np.ndarray | None = field(default=None, repr=False, compare=False)


def _whole_inside(n: Node, box: Box) -> bool:
    b = n.bounds
    return (not b.empty and box.y1 < b.y1 and b.y2 < box.y2
            and bool(n.text or n.content_desc or n.resource_id))


def scroll_offset(before: Hierarchy, after: Hierarchy, scroller: Box) -> int | None:
    """How far the content inside ``scroller`` moved up between two dumps: the most common
    shift of nodes seen whole in both (same class, id, text, description and size), or None
    when no node is in both."""
    def ident(n: Node) -> tuple[object, ...]:
        return (n.cls, n.resource_id, n.text, n.content_desc, n.bounds.width, n.bounds.height)

    seen: dict[tuple[object, ...], list[int]] = {}
    for n in before.nodes:
        if _whole_inside(n, scroller):
            seen.setdefault(ident(n), []).append(n.bounds.y1)
    shifts: Counter[int] = Counter()
    for n in after.nodes:
        if _whole_inside(n, scroller):
            for y in seen.get(ident(n), ()):
                if y > n.bounds.y1:
                    shifts[y - n.bounds.y1] += 1
    return shifts.most_common(1)[0][0] if shifts else None


def stitch(top: np.ndarray, segments: list[Segment], scroller: Box) -> np.ndarray:
    """The whole screen as one image: the top viewport, each later segment's scroller area at
    its offset, and the last segment's fixed bottom (tab bar, navigation bar) below."""
    h, w = top.shape[:2]
    shots = sorted((s for s in segments if s.image is not None and s.offset > 0),
                   key=lambda s: s.offset)
    if not shots:
        return top
    y1, y2 = max(0, scroller.y1), min(h, scroller.y2)
    last = shots[-1].offset
    out = np.empty((h + last, w, 3), dtype=np.uint8)
    out[:h] = top[..., :3]
    covered = 0  # offset of the viewport the scroller rows so far come from
    for s in shots:
        img = s.image
        assert img is not None
        # only the rows this viewport revealed: no seams from the scroller's edges
        start = max(y1, y2 - (s.offset - covered))
        out[start + s.offset:y2 + s.offset] = img[start:y2, :w, :3]
        covered = s.offset
    out[y2 + last:] = shots[-1].image[y2:h, :w, :3]  # type: ignore[index]
    return out


def below_the_top(scroller: Box, segments: list[tuple[int, Hierarchy]]) -> list[Node]:
    """The nodes of the viewports below the top that the top viewport does not show at all,
    moved to their place on the whole screen (y + offset), each once. ``segments``: (offset,
    hierarchy) pairs."""
    out: list[Node] = []
    seen: set[tuple[object, ...]] = set()
    for offset, h in segments:
        for n in h.nodes:
            b = n.bounds
            if b.empty or b.y1 < scroller.y1 or b.y2 > scroller.y2 or b.y1 + offset < scroller.y2:
                continue  # outside the scroller, or (partly) visible at the top already
            key = (n.cls, n.resource_id, n.text, n.content_desc, b.x1, b.width, b.height,
                   (b.y1 + offset) // 8)
            if key in seen:
                continue  # the same node where two viewports overlap
            seen.add(key)
            out.append(replace(n, bounds=Box(b.x1, b.y1 + offset, b.x2, b.y2 + offset),
                               children=()))
    return out


@dataclass(frozen=True)
class WholeHierarchy:
    """The top viewport's hierarchy plus what lies below it (:func:`below_the_top`): what a
    phone's dump of a long ScrollView holds, nodes below the fold with their bounds there."""

    roots: tuple[Node, ...]
    nodes: tuple[Node, ...]

    @classmethod
    def of(cls, top: Hierarchy, below: list[Node]) -> WholeHierarchy:
        return cls(tuple(top.roots), tuple(top.nodes) + tuple(below))
