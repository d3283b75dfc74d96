"""Reading screenshots safely: one clear :class:`ImageError` per bad file, never a traceback."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from darkscan.errors import ImageError
from darkscan.vision.ocr import as_rgb

# Phone screenshots are 1-4 MP; anything above this is not a screenshot (or a decompression bomb).
MAX_PIXELS = 50_000_000


def load_image(source: str | Path | np.ndarray) -> np.ndarray:
    """A screenshot as RGB uint8 (H, W, 3). Gray, palette and RGBA images are converted."""
    if isinstance(source, np.ndarray):
        if source.ndim >= 2 and source.shape[0] * source.shape[1] > MAX_PIXELS:
            raise ImageError(f"image is {source.shape[1]}x{source.shape[0]} pixels; "
                             f"more than {MAX_PIXELS // 1_000_000} MP is not a screenshot")
        return as_rgb(source)
    path = Path(source)
    if not path.exists():
        raise ImageError(f"{path}: no such file")
    if path.is_dir():
        raise ImageError(f"{path}: is a directory, not an image")
    if path.stat().st_size == 0:
        raise ImageError(f"{path}: file is empty (0 bytes)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                w, h = im.size
                if w * h > MAX_PIXELS:
                    raise ImageError(f"{path}: image is {w}x{h} pixels; more than "
                                     f"{MAX_PIXELS // 1_000_000} MP is not a screenshot")
                im.load()
                if im.mode in ("RGBA", "LA") or (im.mode == "P" and "transparency" in im.info):
                    im = im.convert("RGBA")
                elif im.mode != "RGB":
                    im = im.convert("RGB")
                arr = np.asarray(im)
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise ImageError(f"{path}: image is too large ({e})") from None
    except UnidentifiedImageError:
        raise ImageError(f"{path}: not an image (format not recognised)") from None
    except (OSError, SyntaxError, ValueError) as e:
        raise ImageError(f"{path}: image is truncated or corrupt ({e})") from None
    return as_rgb(arr)
