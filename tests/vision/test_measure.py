from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from darkscan.errors import ImageError
from darkscan.geometry import Box
from darkscan.vision import measure
from darkscan.vision.imageio import load_image


def test_wcag_contrast_reference_values() -> None:
    assert measure.contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert measure.contrast_ratio((0x77, 0x77, 0x77), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)
    assert measure.contrast_ratio((255, 255, 255), (255, 255, 255)) == pytest.approx(1.0)


@pytest.mark.parametrize("color,expected", [("#212121", 16.1), ("#757575", 4.6), ("#C4C4C4", 1.74)])
def test_ink_measures_text_colour_contrast(canvas, color, expected) -> None:
    c = canvas(400, 120)
    c.text((20, 30), "自动续费 renews", size=28, color=color)
    ink = measure.ink(c.array(), Box(0, 0, 400, 120))
    assert ink is not None
    assert ink.bg == (255, 255, 255)
    assert ink.contrast == pytest.approx(expected, rel=0.08)


def test_ink_finds_label_inside_a_filled_button_node(canvas) -> None:
    c = canvas(400, 200)
    c.button((20, 50, 380, 146), "立即开通", fill="#FF5722", text_color="#FFFFFF", size=30)
    # node bounds wider than the drawn button (Material insets): white corners + orange fill
    ink = measure.ink(c.array(), Box(10, 40, 390, 156))
    assert ink is not None
    assert ink.bg[0] > 240 and ink.bg[1] < 110  # background = the orange fill
    assert ink.contrast == pytest.approx(3.16, rel=0.08)
    assert 24 <= ink.line_height <= 34


def test_em_size_is_comparable_across_scripts(canvas) -> None:
    c = canvas(700, 500)
    rows = [("Cancel anytime", 24), ("Typography jumping", 24), ("OK 42", 24),
            ("连续包月 ¥25/月", 24), ("renews automatically", 14)]
    sizes = []
    for i, (text, size) in enumerate(rows):
        box = c.text((20, 20 + i * 90), text, size=size)
        ink = measure.ink(c.array(), Box(box[0] - 4, box[1] - 4, box[2] + 4, box[3] + 4))
        sizes.append(measure.em_size(text, ink))
    big = sizes[:4]
    assert max(big) / min(big) < 1.2, sizes  # same 24 px type reads as the same size
    assert sizes[4] / np.median(big) < 0.7, sizes  # 14 px reads clearly smaller


def test_region_is_blank() -> None:
    img = np.full((50, 50, 3), 200, np.uint8)
    assert measure.region_is_blank(img, Box(0, 0, 50, 50))
    img[20:30, 20:30] = 0
    assert not measure.region_is_blank(img, Box(0, 0, 50, 50))


# ---------------------------------------------------------------------------- image files
def test_load_image_errors_are_one_line_and_specific(tmp_path) -> None:
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    notimg = tmp_path / "notes.png"
    notimg.write_text("hello, not a picture")
    good = tmp_path / "good.png"
    Image.new("RGB", (40, 40), "red").save(good)
    truncated = tmp_path / "trunc.png"
    truncated.write_bytes(good.read_bytes()[:60])
    cases = {empty: "empty", notimg: "not an image", truncated: "truncated",
             tmp_path / "missing.png": "no such file"}
    for path, words in cases.items():
        with pytest.raises(ImageError) as e:
            load_image(path)
        assert words in str(e.value) and "\n" not in str(e.value)


def test_load_image_refuses_huge_and_converts_gray_and_rgba(tmp_path) -> None:
    huge = tmp_path / "huge.png"
    Image.new("L", (8000, 7000), 0).save(huge)  # 56 MP, compresses to a few KB
    with pytest.raises(ImageError, match="MP"):
        load_image(huge)
    gray = tmp_path / "gray.png"
    Image.new("L", (30, 20), 90).save(gray)
    assert load_image(gray).shape == (20, 30, 3)
    rgba = tmp_path / "rgba.png"
    Image.new("RGBA", (30, 20), (10, 20, 30, 255)).save(rgba)
    arr = load_image(rgba)
    assert arr.shape == (20, 30, 3) and tuple(arr[0, 0]) == (10, 20, 30)
