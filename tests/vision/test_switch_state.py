"""Switch state from pixels: thumb position first, track colour when the thumb is inside."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from darkscan.geometry import Box
from darkscan.vision.widgets import switch_is_on

D = 3.0  # px per dp


def _m2_switch(on: bool, row: str, track: str, thumb: str) -> tuple[np.ndarray, Box]:
    """Material 2 / OEM style: a 20 dp thumb taller than the 14 dp track, in a coloured row."""
    im = Image.new("RGB", (300, 120), row)
    d = ImageDraw.Draw(im)
    x1, cy = 100, 60
    d.rounded_rectangle((x1 + 9, cy - 21, x1 + 9 + 78, cy + 21), radius=21, fill=track)
    tx = x1 + 9 + 78 - 30 if on else x1
    d.ellipse((tx - 3, cy - 30 + 3, tx + 57, cy + 30 + 3), fill="#00000040")  # shadow
    d.ellipse((tx, cy - 30, tx + 60, cy + 30), fill=thumb)
    return np.asarray(im), Box(x1, cy - 31, x1 + 96, cy + 33)


def _m3_switch(on: bool) -> tuple[np.ndarray, Box]:
    """Material 3 / iOS style: the thumb inside a 52x32 dp track, coloured only when on."""
    im = Image.new("RGB", (300, 140), "#FFFFFF")
    d = ImageDraw.Draw(im)
    box = Box(80, 22, 80 + 156, 22 + 96)
    if on:
        d.rounded_rectangle(box.as_list(), radius=48, fill="#6750A4")
        d.ellipse((box.x2 - 88, box.y1 + 8, box.x2 - 8, box.y2 - 8), fill="#FFFFFF")
    else:
        d.rounded_rectangle(box.as_list(), radius=48, fill="#E6E0E9", outline="#79747E", width=6)
        d.ellipse((box.x1 + 24, box.y1 + 24, box.x1 + 72, box.y2 - 24), fill="#79747E")
    return np.asarray(im), box


@pytest.mark.parametrize("on", [True, False])
def test_white_thumb_on_pale_track_in_a_coloured_row(on: bool) -> None:
    img, box = _m2_switch(on, row="#40A4F2", track="#82C4F6" if on else "#B0B0B0",
                          thumb="#F7F9F6" if on else "#ECECEC")
    assert switch_is_on(img, box) is on


@pytest.mark.parametrize("on", [True, False])
def test_coloured_thumb_on_white_row(on: bool) -> None:
    img, box = _m2_switch(on, row="#FFFFFF", track="#9FD3F7" if on else "#BDBDBD",
                          thumb="#2196F3" if on else "#F1F1F1")
    assert switch_is_on(img, box) is on


@pytest.mark.parametrize("on", [True, False])
def test_thumb_inside_track_reads_the_track_colour(on: bool) -> None:
    img, box = _m3_switch(on)
    assert switch_is_on(img, box) is on
