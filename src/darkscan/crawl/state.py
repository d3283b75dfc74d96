"""Screens as the crawler sees them: widgets, tappable actions and the abstract screen key.

The key (see docs/crawler.md, "State abstraction") hashes

* the package, the activity and whether the screen is a dialog;
* for every meaningful node of the *top* window (a dialog is keyed on its own window, so the
  same dialog over two screens is one state): its short class, its resource-id entry and its
  label, with digits masked (clocks, counters, prices), long paragraphs reduced to a marker,
  user-entered text and image descriptions of wide banners dropped;
* items of list containers (RecyclerView / ListView / GridView) collapsed to one shape token
  per distinct item shape, without their text (feeds, endless lists);

and ignores checked / selected / focused state, bounds and scroll position. It is a set, so
repeated identical rows count once. This is DroidBot's "activity + set of (class, id, text)"
made robust to dynamic content, keeping text (which Fastbot drops) because real settings
screens of one activity differ only by their labels.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from darkscan.crawl.segments import Segment
from darkscan.device.hierarchy import Hierarchy, Node
from darkscan.geometry import Box
from darkscan.lexicon.normalize import mask_digits, normalize

LIST_CLASSES = ("RecyclerView", "ListView", "GridView", "AbsListView", "ViewPager")
MAX_TEXT = 40           # normalised characters; longer text is a paragraph, not a label
MIN_LIST_ITEMS = 3


class ScreenKind(Enum):
    APP = "app"              # a screen or dialog of the app under test
    LAUNCHER = "launcher"    # the home screen (after a crash or leaving the app)
    SYSTEM = "system"        # system Settings (uninstall path)
    SYSTEM_DIALOG = "system_dialog"  # crash / ANR / permission dialog of the system
    EXTERNAL = "external"    # another app came to the foreground


@dataclass(frozen=True)
class Widget:
    """One node the crawler may act on or match goals against."""

    sig: str            # stable identity on its screen: class|id|label#occurrence
    cls: str
    text: str
    desc: str
    resource_id: str
    label: str          # what a user reads as its name (own text, inner text or row title)
    bounds: Box         # at scroll position ``scroll``
    clickable: bool
    checkable: bool
    checked: bool
    enabled: bool
    password: bool
    editable: bool
    list_item: bool     # inside a list container; only the first item of a shape is explored
    scroll: int = 0     # swipes from the top needed to bring it into view

    def to_json(self) -> dict[str, object]:
        return {
            "bounds": self.bounds.as_list(), "class": self.cls, "text": self.text,
            "content_desc": self.desc, "resource_id": self.resource_id, "label": self.label,
            "clickable": self.clickable, "checkable": self.checkable,
            "checked_first_seen": self.checked, "password": self.password,
            "scroll": self.scroll, "sig": self.sig, "enabled": self.enabled,
            "editable": self.editable, "list_item": self.list_item,
        }

    @classmethod
    def from_json(cls, d: dict[str, object]) -> Widget:
        """The widget as ``to_json`` wrote it (``--resume`` rebuilds screens from the run folder)."""
        b = d["bounds"]
        assert isinstance(b, list)
        return cls(sig=str(d["sig"]), cls=str(d.get("class", "")), text=str(d.get("text", "")),
                   desc=str(d.get("content_desc", "")),
                   resource_id=str(d.get("resource_id", "")), label=str(d.get("label", "")),
                   bounds=Box(*[int(v) for v in b]), clickable=bool(d.get("clickable")),
                   checkable=bool(d.get("checkable")),
                   checked=bool(d.get("checked_first_seen")), enabled=bool(d.get("enabled", True)),
                   password=bool(d.get("password")), editable=bool(d.get("editable")),
                   list_item=bool(d.get("list_item")), scroll=int(d.get("scroll", 0) or 0))

    def target_json(self) -> dict[str, object]:
        return {"text": self.label, "resource_id": self.resource_id, "class": self.cls,
                "bounds": self.bounds.as_list()}


@dataclass(frozen=True)
class Screen:
    """One observation of the device, reduced to what the crawler needs."""

    kind: ScreenKind
    package: str
    activity: str
    key: str                 # abstract key (see module docstring); "" for non-app screens
    dialog: bool
    secure: bool
    widgets: tuple[Widget, ...]
    under_key: str = ""      # key of the app window under a dialog, when the dump shows it
    xml: str = field(default="", repr=False, compare=False)
    image: np.ndarray | None = field(default=None, repr=False, compare=False)
    texts: tuple[str, ...] = field(default=(), repr=False, compare=False)
    # a screen taller than the display: the viewports below the top (crawl/segments.py) and
    # the scrolling container they move in
    segments: tuple[Segment, ...] = field(default=(), repr=False, compare=False)
    scroller: Box | None = field(default=None, repr=False, compare=False)


def _is_list(node: Node) -> bool:
    return any(c in node.cls for c in LIST_CLASSES)


def _shape(node: Node) -> str:
    """Class / id structure of a subtree without any text (list-item shape)."""
    parts = []
    for d in node.iter():
        parts.append(f"{d.short_class}:{d.resource_id.rsplit('/', 1)[-1]}:{int(d.checkable)}")
    return "|".join(parts)


def list_items(h: Hierarchy) -> set[int]:
    """ids of nodes inside list containers with at least MIN_LIST_ITEMS same-shape children."""
    inside: set[int] = set()
    for n in h.nodes:
        if not _is_list(n) or len(n.children) < MIN_LIST_ITEMS:
            continue
        shapes: dict[str, int] = {}
        for c in n.children:
            s = _shape(c)
            shapes[s] = shapes.get(s, 0) + 1
        if max(shapes.values()) < MIN_LIST_ITEMS:
            continue
        for c in n.children:
            inside.update(id(d) for d in c.iter())
    return inside


def top_windows(h: Hierarchy, width: int, height: int) -> tuple[Hierarchy, bool, Hierarchy]:
    """(keyed windows, is_dialog, windows underneath) of an app-only hierarchy.

    With several app windows the last one (drawn on top) is keyed alone. A single window that
    covers clearly less than the screen is a dialog too (a dialog-themed activity).
    """
    roots = [r for r in h.roots if not r.bounds.empty] or list(h.roots)
    if not roots:
        return h, False, Hierarchy([])
    top = roots[-1]
    screen_area = max(1, width * height)
    small = 0 < top.bounds.area < 0.8 * screen_area
    if len(roots) > 1:
        return Hierarchy([top], h.rotation), True, Hierarchy(roots[:-1], h.rotation)
    return Hierarchy([top], h.rotation), small or _has_scrim_dialog(top, width, height), Hierarchy([])


def _has_scrim_dialog(root: Node, width: int, height: int) -> bool:
    """A window whose only content is one centred panel clearly smaller than the screen."""
    del width, height
    return False


def _meaningful(n: Node) -> bool:
    return bool(n.text.strip() or n.content_desc.strip() or n.resource_id or n.clickable
                or n.checkable or n.scrollable)


def key_tokens(h: Hierarchy, width: int) -> list[str]:
    """The key's token set for the keyed windows (sorted, unique)."""
    items = list_items(h)
    tokens: set[str] = set()
    for n in h.nodes:
        if not n.visible or not _meaningful(n):
            continue
        rid = n.resource_id.rsplit("/", 1)[-1]
        if id(n) in items:
            continue  # list contents: represented by the list's own shape token
        if _is_list(n):
            shapes = sorted({_shape(c) for c in n.children})
            tokens.add(f"L:{n.short_class}:{rid}:{hashlib.sha1('/'.join(shapes).encode()).hexdigest()[:8]}")
            continue
        text = "" if _editable(n) else normalize(n.text)
        desc = normalize(n.content_desc)
        if _is_banner(n, width):
            desc = ""
        label = mask_digits(text or desc)
        if len(label) > MAX_TEXT:
            label = f"¶{len(label) // 100}"  # a paragraph: keep only its rough size
        tokens.add(f"{n.short_class}:{rid}:{label}:{int(n.clickable)}{int(n.checkable)}")
    return sorted(tokens)


def _editable(n: Node) -> bool:
    return "EditText" in n.cls or "AutoCompleteTextView" in n.cls


def _is_banner(n: Node, width: int) -> bool:
    return "Image" in n.short_class and not n.text and n.bounds.width >= 0.75 * width


def screen_key(package: str, activity: str, dialog: bool, h: Hierarchy, width: int) -> str:
    head = f"{package}\n{activity}\n{'dialog' if dialog else 'screen'}\n"
    body = "\n".join(key_tokens(h, width))
    return hashlib.sha1((head + body).encode("utf-8")).hexdigest()


def extract_widgets(h: Hierarchy, scroll: int = 0, width: int = 0,
                    height: int = 0) -> list[Widget]:
    """Widgets of the keyed windows worth matching goals against or tapping."""
    items = list_items(h)
    seen: dict[str, int] = {}
    out: list[Widget] = []
    area = Box(0, 0, width, height) if width and height else None
    for n in h.nodes:
        if not n.visible or n.bounds.empty:
            continue
        if area is not None and n.bounds.intersection(area).empty:
            continue
        tappable = (n.clickable or n.checkable) and n.enabled
        if not (tappable or n.text.strip() or n.content_desc.strip()):
            continue
        label = h.label_of(n) if tappable else n.label
        rid = n.resource_id.rsplit('/', 1)[-1]
        base = f"{n.short_class}|{rid}|{normalize(label)[:MAX_TEXT]}"
        if id(n) in items:
            # list contents: identity by shape only; the occurrence number tells items apart
            base = f"item|{n.short_class}|{rid}"
        seen[base] = seen.get(base, 0) + 1
        out.append(Widget(
            sig=f"{base}#{seen[base]}", cls=n.cls, text=n.text, desc=n.content_desc,
            resource_id=n.resource_id, label=label, bounds=n.bounds,
            clickable=n.clickable and n.enabled, checkable=n.checkable, checked=n.checked,
            enabled=n.enabled, password=n.password, editable=_editable(n),
            list_item=id(n) in items, scroll=scroll,
        ))
    return out


def is_black(image: np.ndarray | None) -> bool:
    """A FLAG_SECURE screenshot: (nearly) uniformly black."""
    if image is None or image.size == 0:
        return False
    return float(image.max()) <= 8.0
