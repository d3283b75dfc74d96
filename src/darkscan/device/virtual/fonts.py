"""CJK-capable fonts found through fontconfig, loaded once per (weight, pixel size)."""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

from darkscan.errors import EnvironmentProblem

_FALLBACKS = {
    False: ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",),
    True: ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
           "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
}
_HINT = "install a CJK font: sudo apt-get install fonts-noto-cjk"


def _fc_match(pattern: str) -> str | None:
    if shutil.which("fc-match") is None:
        return None
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}", pattern], capture_output=True, text=True, timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    path = out.stdout.strip()
    return path if out.returncode == 0 and path and Path(path).is_file() else None


def _covers_cjk(path: str) -> bool:
    try:
        font = ImageFont.truetype(path, 20)
    except OSError:
        return False
    # A font without the glyph draws the same .notdef box for both characters.
    return font.getmask("中").getbbox() != font.getmask("\uffff").getbbox() and font.getlength(
        "中") > 0


@lru_cache(maxsize=2)
def font_path(bold: bool = False) -> str:
    """Path of a CJK-capable font file (bold if available)."""
    pattern = "sans-serif:lang=zh-cn" + (":weight=bold" if bold else "")
    candidates = [p for p in (_fc_match(pattern),) if p] + list(_FALLBACKS[bold])
    for path in candidates:
        if Path(path).is_file() and _covers_cjk(path):
            return path
    if bold:
        return font_path(False)
    raise EnvironmentProblem(
        "no CJK-capable font found (fontconfig found none for sans-serif:lang=zh-cn); "
        "install the Debian package fonts-noto-cjk",
        hint=_HINT,
    )


@lru_cache(maxsize=256)
def font(size_px: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The font at ``size_px`` pixels (cached: loading a .ttc costs milliseconds)."""
    return ImageFont.truetype(font_path(bold), max(1, int(size_px)))
