"""BoxGrid returns every box a brute-force scan finds (a superset, in insertion order)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from darkscan.geometry import Box
from darkscan.vision.spatial import BoxGrid

COORD = st.integers(-4000, 6000)
BOXES = st.lists(st.builds(lambda x, y, w, h: Box(x, y, x + w, y + h), COORD, COORD,
                           st.integers(-5, 3000), st.integers(-5, 3000)), max_size=40)


@settings(max_examples=60, deadline=None)
@given(BOXES, st.tuples(COORD, COORD, st.integers(0, 5000), st.integers(0, 5000)),
       st.sampled_from([1, 7, 96]), st.sampled_from([1, 13, 96]), st.sampled_from([1, 64]))
def test_grid_queries_find_what_a_scan_finds(boxes: list[Box], q: tuple[int, int, int, int],
                                             cw: int, ch: int, max_cells: int) -> None:
    grid = BoxGrid(boxes, lambda b: b, cell_w=cw, cell_h=ch, max_cells=max_cells)
    query = Box(q[0], q[1], q[0] + q[2], q[1] + q[3])
    near = list(grid.near(query))
    assert [b for b in boxes if b.overlaps(query) and not b.empty] == [
        b for b in near if b.overlaps(query) and not b.empty]
    idx = [next(i for i, b in enumerate(boxes) if b is n) for n in near]
    assert idx == sorted(idx)
    x, y = q[0], q[1]
    at = list(grid.at(x, y))
    assert [b for b in boxes if b.contains(x, y)] == [b for b in at if b.contains(x, y)]
