"""Downscaled copies of screenshots for the report, so a 500-screen report stays light."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from darkscan.errors import ImageError

THUMB_WIDTH = 160  # about: copies are reduced by whole factors (fast box filter)
VIEW_WIDTH = 400
JPEG_QUALITY = 80


@dataclass(frozen=True)
class Scaled:
    """The two copies written for one screenshot, and the original's size."""

    thumb: str  # file name inside the image folder
    view: str
    width: int
    height: int


def _save(im: PILImage.Image, width: int, path: Path) -> PILImage.Image:
    """Shrink by the whole factor nearest to ``width`` (``reduce`` is several times faster than
    a resampling resize, and 500 screens must scale in a few seconds) and save as JPEG."""
    factor = round(im.width / width)
    if factor >= 2:
        im = im.reduce(factor)
    im.save(path, "JPEG", quality=JPEG_QUALITY, optimize=False)
    return im


def scale_one(src: Path, out_dir: Path, stem: str) -> Scaled:
    """Write ``<stem>.jpg`` (view) and ``<stem>-t.jpg`` (thumbnail) for one screenshot."""
    try:
        with PILImage.open(src) as im:
            im.load()
            width, height = im.size
            rgb = im if im.mode == "RGB" else im.convert("RGB")
    except (OSError, UnidentifiedImageError) as e:
        raise ImageError(f"{src}: cannot read screenshot ({e})") from None
    view, thumb = f"{stem}.jpg", f"{stem}-t.jpg"
    _save(_save(rgb, VIEW_WIDTH, out_dir / view), THUMB_WIDTH, out_dir / thumb)
    return Scaled(thumb=thumb, view=view, width=width, height=height)


def scale_all(sources: dict[str, Path], out_dir: Path) -> dict[str, Scaled]:
    """Scale every screenshot (key -> file stem); runs on a few threads (PIL frees the GIL)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    workers = max(1, min(4, os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {stem: pool.submit(scale_one, src, out_dir, stem)
                   for stem, src in sources.items()}
        return {stem: f.result() for stem, f in futures.items()}
