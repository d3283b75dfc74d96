"""A uniform grid over boxes, so "which nodes / texts are near here" is not a scan of all.

Screens with thousands of views (WebView-heavy dumps) made pairwise box checks quadratic.
``BoxGrid`` files each item under the grid cells its box covers; a query looks only at the
cells it touches. Items covering more than ``max_cells`` cells (huge or absurd bounds) are kept
in one list every query returns, so filing stays linear in the number of items.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, TypeVar

from darkscan.geometry import Box

T = TypeVar("T")

__all__ = ["BoxGrid"]

# Column range of one grid row: coordinates are screen pixels (a few thousand, or far below the
# fold); a column index beyond this would alias onto the next row, which only costs a few
# extra candidates (every query re-checks the geometry).
_ROW = 1 << 32
_OFF = 1 << 31  # columns are stored shifted, so negative ones decode back exactly


class BoxGrid(Generic[T]):
    def __init__(self, items: Iterable[T], box_of: Callable[[T], Box], *, cell_w: int = 96,
                 cell_h: int = 96, max_cells: int = 64) -> None:
        self.cw = cw = max(1, int(cell_w))
        self.ch = ch = max(1, int(cell_h))
        # cells keyed by one int (row * _ROW + column): cheaper than tuples for 10^5 items
        cells: dict[int, list[tuple[int, T]]] = {}
        self._cells = cells
        self._big: list[tuple[int, T]] = []
        for order, item in enumerate(items):
            b = box_of(item)
            cx1, cy1 = b.x1 // cw, b.y1 // ch
            cx2, cy2 = (max(b.x2, b.x1 + 1) - 1) // cw, (max(b.y2, b.y1 + 1) - 1) // ch
            entry = (order, item)
            if (cx2 - cx1 + 1) * (cy2 - cy1 + 1) > max_cells:
                self._big.append(entry)
                continue
            for cy in range(cy1, cy2 + 1):
                row = cy * _ROW + _OFF
                for cx in range(cx1, cx2 + 1):
                    lst = cells.get(row + cx)
                    if lst is None:
                        cells[row + cx] = [entry]
                    else:
                        lst.append(entry)

    def at(self, x: float, y: float) -> Iterator[T]:
        """Items whose cells include the point (a superset of the boxes containing it), in
        insertion order."""
        found = self._cells.get(
            math.floor(y) // self.ch * _ROW + _OFF + math.floor(x) // self.cw, [])
        if not self._big:
            yield from (item for _, item in found)
            return
        yield from (item for _, item in sorted([*found, *self._big], key=lambda p: p[0]))

    def near(self, box: Box) -> Iterator[T]:
        """Items filed in any cell ``box`` touches (a superset of those overlapping it), each
        once, in insertion order."""
        cx1, cy1 = box.x1 // self.cw, box.y1 // self.ch
        cx2 = (max(box.x2, box.x1 + 1) - 1) // self.cw
        cy2 = (max(box.y2, box.y1 + 1) - 1) // self.ch
        seen: dict[int, T] = {order: item for order, item in self._big}
        if (cx2 - cx1 + 1) * (cy2 - cy1 + 1) > 4 * len(self._cells) + 4:
            # a query larger than the filled grid: walk the filled cells instead
            for key, lst in self._cells.items():
                cy, cx = divmod(key, _ROW)
                cx -= _OFF
                if cx1 <= cx <= cx2 and cy1 <= cy <= cy2:
                    seen.update(lst)
        else:
            for cy in range(cy1, cy2 + 1):
                row = cy * _ROW + _OFF
                for cx in range(cx1, cx2 + 1):
                    seen.update(self._cells.get(row + cx, ()))
        for order in sorted(seen):
            yield seen[order]
