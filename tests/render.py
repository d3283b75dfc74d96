"""Small PIL renderings of UI fragments for vision tests (Noto CJK, anti-aliased)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
REGULAR = FONT_DIR / "NotoSansCJK-Regular.ttc"
BOLD = FONT_DIR / "NotoSansCJK-Bold.ttc"


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    path = BOLD if bold else REGULAR
    if not path.is_file():
        pytest.skip(f"Noto CJK font not installed at {path}")
    # index 2 = SC (Simplified Chinese) face of the collection
    return ImageFont.truetype(str(path), size, index=2)


class Canvas:
    """A white screen you draw on; ``array()`` returns RGB uint8."""

    def __init__(self, width: int = 720, height: int = 1280, bg: str = "#FFFFFF") -> None:
        self.img = Image.new("RGB", (width, height), bg)
        self.draw = ImageDraw.Draw(self.img)

    def text(self, xy: tuple[int, int], text: str, size: int = 28, color: str = "#212121",
             bold: bool = False) -> tuple[int, int, int, int]:
        f = font(size, bold)
        self.draw.text(xy, text, font=f, fill=color)
        return self.draw.textbbox(xy, text, font=f)

    def button(self, box: tuple[int, int, int, int], text: str, fill: str | None,
               text_color: str, size: int = 28, outline: str | None = None) -> None:
        if fill or outline:
            self.draw.rounded_rectangle(box, radius=(box[3] - box[1]) // 2, fill=fill,
                                        outline=outline, width=2)
        f = font(size)
        tb = self.draw.textbbox((0, 0), text, font=f)
        cx = (box[0] + box[2]) // 2 - (tb[2] - tb[0]) // 2 - tb[0]
        cy = (box[1] + box[3]) // 2 - (tb[3] - tb[1]) // 2 - tb[1]
        self.draw.text((cx, cy), text, font=f, fill=text_color)

    def checkbox(self, xy: tuple[int, int], size: int, checked: bool,
                 color: str = "#FF5722") -> None:
        x, y = xy
        if checked:
            self.draw.rounded_rectangle((x, y, x + size, y + size), radius=size // 8, fill=color)
            w = max(2, size // 8)
            self.draw.line([(x + size * 0.22, y + size * 0.52), (x + size * 0.42, y + size * 0.72),
                            (x + size * 0.8, y + size * 0.3)], fill="#FFFFFF", width=w)
        else:
            self.draw.rounded_rectangle((x, y, x + size, y + size), radius=size // 8,
                                        outline="#757575", width=max(2, size // 12))

    def array(self) -> np.ndarray:
        return np.asarray(self.img).copy()
