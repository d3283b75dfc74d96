"""COCO-format labelled sets (e.g. ContextDP, published with AidUI) mapped to darkscan.

Only the categories in :data:`COCO_MAPPING` are scored; annotations of other categories
(``NO DP``, ``GAMIFICATION``, ...) are ignored, as are findings mapped to no COCO category.
Names are matched case-insensitively, ignoring spaces, ``_`` and ``-``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from darkscan.detect.finding import Category
from darkscan.errors import InputError
from darkscan.evaluation.labels import Dataset, DatasetFormat, LabelledBox, LabelledScreen
from darkscan.geometry import Box

# COCO category name -> the darkscan categories whose findings predict it.
COCO_MAPPING: dict[str, frozenset[Category]] = {
    "DEFAULT CHOICE": frozenset({Category.PRESELECTION, Category.FALSE_HIERARCHY}),
    "NAGGING": frozenset({Category.NAGGING}),
    "DISGUISED ADS": frozenset({Category.DISGUISED_AD}),
}


def _norm(name: str) -> str:
    return "".join(ch for ch in name.upper() if ch.isalnum())


_BY_NORM = {_norm(k): k for k in COCO_MAPPING}


def _find_image(root: Path, file_name: str) -> Path | None:
    for cand in (root / file_name, root / "images" / Path(file_name).name):
        if cand.is_file():
            return cand
    return None


def load_coco(root: Path, data: Mapping[str, Any], src: Path) -> Dataset:
    """Build a :class:`Dataset` from a parsed COCO document whose images live under ``root``."""
    try:
        cats = {int(c["id"]): str(c["name"]) for c in data["categories"]}
    except (KeyError, TypeError, ValueError):
        raise InputError(f"{src}: COCO 'categories' must be a list of {{id, name}}") from None
    scored: dict[int, str] = {}
    for cid, name in cats.items():
        key = _BY_NORM.get(_norm(name))
        if key is not None:
            scored[cid] = key
    if not scored:
        raise InputError(f"{src}: none of the COCO categories {sorted(cats.values())} maps to a "
                         f"darkscan category (known: {', '.join(COCO_MAPPING)})")
    images: dict[int, dict[str, Any]] = {}
    for i, im in enumerate(data["images"]):
        try:
            images[int(im["id"])] = {"file": str(im["file_name"]), "w": int(im["width"]),
                                     "h": int(im["height"])}
        except (KeyError, TypeError, ValueError):
            raise InputError(f"{src}: images[{i}] needs id, file_name, width, height") from None
        if images[int(im["id"])]["w"] <= 0 or images[int(im["id"])]["h"] <= 0:
            raise InputError(f"{src}: images[{i}] has a non-positive width or height")
    boxes: dict[int, list[LabelledBox]] = {k: [] for k in images}
    for i, a in enumerate(data["annotations"]):
        try:
            image_id, cid = int(a["image_id"]), int(a["category_id"])
            x, y, w, h = (float(v) for v in a["bbox"])
        except (KeyError, TypeError, ValueError):
            raise InputError(f"{src}: annotations[{i}] needs image_id, category_id and "
                             f"bbox [x, y, w, h]") from None
        if image_id not in images:
            raise InputError(f"{src}: annotations[{i}] refers to unknown image id {image_id}")
        if cid not in cats:
            raise InputError(f"{src}: annotations[{i}] refers to unknown category id {cid}")
        if cid in scored and w > 0 and h > 0:
            boxes[image_id].append(LabelledBox(scored[cid], Box.from_xywh(x, y, w, h)))
    screens = []
    for image_id, im in sorted(images.items()):
        path = _find_image(root, im["file"])
        if path is None:
            raise InputError(f"{src}: image {im['file']!r} (id {image_id}) not found under {root}")
        screens.append(LabelledScreen(name=im["file"], image=path, width=im["w"], height=im["h"],
                                      boxes=tuple(boxes[image_id])))
    categories = tuple(k for k in COCO_MAPPING if k in scored.values())
    ignored = tuple(sorted(n for cid, n in cats.items() if cid not in scored))
    return Dataset(root=root, format=DatasetFormat.COCO, categories=categories,
                   mapping={k: COCO_MAPPING[k] for k in categories}, screens=tuple(screens),
                   ignored_categories=ignored)
