"""DroidBot output folders: ``states/state_<tag>.json`` (view tree) + ``states/screen_<tag>.jpg``,
``events/event_<tag>.json`` (event + start/stop state), ``utg.js`` (the tool's state graph).

The view tree (a flat list of views with ``parent``/``children`` indices) becomes
uiautomator-style XML; events become steps in time order (their ``tag`` timestamps). Every
problem with one file is a warning and the rest is imported: a truncated state JSON (its
screenshot is still mapped to its state through ``utg.js``), a missing screenshot, an event
file that does not parse, an event whose states were never saved.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Mapping
from xml.sax.saxutils import quoteattr

from darkscan.errors import InputError
from darkscan.importers.base import ImportedCrawl, SourceEvent, SourceState

TOOL = "droidbot"

_TAG = re.compile(r"(\d{4}-\d{2}-\d{2}_\d{6}(?:_\d+)?)")
_KEYS = {"BACK": "back", "HOME": "home"}


def _tag(name: str) -> str:
    m = _TAG.search(name)
    return m.group(1) if m else name


def _load(path: Path, warnings: list[str], what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        warnings.append(f"{path.name}: truncated or corrupt JSON ({e.msg}, line {e.lineno}); "
                        f"{what}")
    except (OSError, UnicodeDecodeError) as e:
        warnings.append(f"{path.name}: unreadable ({e}); {what}")
    return None


def _bounds(v: Any) -> list[int] | None:
    try:
        (x1, y1), (x2, y2) = v
        return [int(x1), int(y1), int(x2), int(y2)]
    except (TypeError, ValueError):
        return None


def _b(v: Any) -> str:
    return "true" if v else "false"


def views_to_xml(views: list[Mapping[str, Any]]) -> str:
    """DroidBot's view list -> uiautomator dump XML (one window per root view)."""
    by_id = {int(v.get("temp_id", i)): v for i, v in enumerate(views) if isinstance(v, Mapping)}
    roots = [i for i, v in by_id.items() if v.get("parent", -1) in (-1, None)
             or v.get("parent") not in by_id]
    out = ["<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>", '<hierarchy rotation="0">']
    seen: set[int] = set()

    def attrs(v: Mapping[str, Any], index: int) -> str:
        b = _bounds(v.get("bounds")) or [0, 0, 0, 0]
        pairs = [("index", str(index)), ("text", v.get("text") or ""),
                 ("resource-id", v.get("resource_id") or ""), ("class", v.get("class") or ""),
                 ("package", v.get("package") or ""),
                 ("content-desc", v.get("content_description") or ""),
                 ("checkable", _b(v.get("checkable"))), ("checked", _b(v.get("checked"))),
                 ("clickable", _b(v.get("clickable"))), ("enabled", _b(v.get("enabled", True))),
                 ("focusable", _b(v.get("focusable"))), ("focused", _b(v.get("focused"))),
                 ("scrollable", _b(v.get("scrollable"))),
                 ("long-clickable", _b(v.get("long_clickable"))),
                 ("password", _b(v.get("is_password"))), ("selected", _b(v.get("selected"))),
                 ("visible-to-user", _b(v.get("visible", True))),
                 ("bounds", f"[{b[0]},{b[1]}][{b[2]},{b[3]}]")]
        return "".join(f" {k}={quoteattr(str(val))}" for k, val in pairs)

    # iterative pre-order walk (real trees can be deep)
    stack: list[tuple[int, int, bool]] = [(r, i, False) for i, r in reversed(list(enumerate(roots)))]
    while stack:
        vid, index, closing = stack.pop()
        if closing:
            out.append("</node>")
            continue
        if vid in seen:
            continue
        seen.add(vid)
        v = by_id[vid]
        kids = [int(c) for c in v.get("children") or () if int(c) in by_id and int(c) not in seen]
        out.append(f"<node{attrs(v, index)}>")
        stack.append((vid, index, True))
        stack.extend((c, i, False) for i, c in reversed(list(enumerate(kids))))
    out.append("</hierarchy>")
    return "".join(out)


def _utg(folder: Path, warnings: list[str]) -> dict[str, Any]:
    p = folder / "utg.js"
    if not p.is_file():
        warnings.append("utg.js: missing; app package and device taken from the states")
        return {}
    text = p.read_text(encoding="utf-8", errors="replace")
    start = text.find("{")
    try:
        d = json.loads(text[start:]) if start >= 0 else None
    except json.JSONDecodeError as e:
        warnings.append(f"utg.js: truncated or corrupt JSON ({e.msg}); app package and device "
                        "taken from the states")
        return {}
    return d if isinstance(d, dict) else {}


def _event(d: Mapping[str, Any], name: str) -> SourceEvent | None:
    ev = d.get("event") if isinstance(d.get("event"), Mapping) else None
    if ev is None:
        return None
    t = str(ev.get("event_type") or "")
    before = d.get("start_state") if isinstance(d.get("start_state"), str) else None
    after = d.get("stop_state") if isinstance(d.get("stop_state"), str) else None
    order = str(d.get("tag") or _tag(name))
    view = ev.get("view") if isinstance(ev.get("view"), Mapping) else None
    target = None
    if view is not None:
        target = {"text": view.get("text") or view.get("content_description") or "",
                  "resource_id": view.get("resource_id") or "", "class": view.get("class") or "",
                  "bounds": _bounds(view.get("bounds"))}
    detail: dict[str, Any] = {}
    if t in ("touch", "long_touch"):
        kind = "tap"
        if t == "long_touch":
            detail["long"] = True
        if target is None and ev.get("x") is not None:
            detail.update(x=ev.get("x"), y=ev.get("y"))
    elif t == "key":
        key = str(ev.get("name") or "")
        kind = _KEYS.get(key.upper(), "key")
        if kind == "key":
            detail["key"] = key
    elif t == "intent":
        intent = str(ev.get("intent") or "")
        kind = "stop" if "force-stop" in intent else "launch"
        detail["intent"] = intent
    elif t == "kill_app":
        kind = "stop"
    elif t == "scroll":
        kind = "swipe"
        detail["direction"] = str(ev.get("direction") or "").lower()
    elif t == "set_text":
        kind = "type"
        detail["text"] = str(ev.get("text") or "")
    else:
        kind = t or "unknown"
    return SourceEvent(order=order, kind=kind, before=before, after=after, target=target,
                       detail=detail, name=name)


def read_droidbot(folder: Path | str) -> ImportedCrawl:
    """Parse a DroidBot output folder; problems with single files become warnings."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder",
                         hint="give the folder DroidBot wrote with -o")
    sdir = folder / "states"
    if not sdir.is_dir():
        raise InputError(f"{folder}: not a DroidBot output folder (no states/ directory)")
    warnings: list[str] = []
    utg = _utg(folder, warnings)
    crawl = ImportedCrawl(tool=TOOL, source=folder.resolve(),
                          package=str(utg.get("app_package") or ""),
                          model=str(utg.get("device_model_number") or ""),
                          android=str(utg.get("device_sdk_version") or ""),
                          warnings=warnings)
    # screenshot of each state: by tag, and through utg.js for states whose JSON is broken
    images = {_tag(p.name): p for p in sdir.iterdir()
              if p.name.startswith("screen_") and p.suffix.lower() in (".jpg", ".jpeg", ".png")}
    utg_nodes = {str(n.get("state_str") or n.get("id")): n for n in utg.get("nodes") or ()
                 if isinstance(n, Mapping)}
    used_images: set[str] = set()
    for p in sorted(sdir.glob("state_*.json")):
        tag = _tag(p.name)
        d = _load(p, warnings, "its view tree is lost")
        if not isinstance(d, Mapping) or not isinstance(d.get("state_str"), str):
            node = next((n for n in utg_nodes.values()
                         if _tag(str(n.get("image") or "")) == tag), None)
            if node is None:
                warnings.append(f"{p.name}: state not identified (not in utg.js either); skipped")
                continue
            sid = str(node.get("state_str") or node.get("id"))
            pkg = str(node.get("package") or "")
            act = str(node.get("activity") or "")
            crawl.states.append(SourceState(sid, pkg, act, None, images.get(tag), tag))
            used_images.add(tag)
            continue
        fg = str(d.get("foreground_activity") or "")
        pkg, _, act = fg.partition("/")
        views = d.get("views") if isinstance(d.get("views"), list) else []
        try:
            xml = views_to_xml(views) if views else None
        except (TypeError, ValueError, KeyError, AttributeError) as e:
            warnings.append(f"{p.name}: malformed view tree ({e}); imported without one")
            xml, views = None, []
        if not views:
            warnings.append(f"{p.name}: no view tree; imported without one")
        if not crawl.width:
            crawl.width, crawl.height = _size(views)
        image = images.get(tag)
        if image is None:
            warnings.append(f"{p.name}: screenshot screen_{tag}.jpg missing")
        else:
            used_images.add(tag)
        if act.startswith("."):
            act = pkg + act
        crawl.states.append(SourceState(str(d["state_str"]), pkg, act, xml, image, tag))
    for tag in sorted(set(images) - used_images):
        warnings.append(f"{images[tag].name}: screenshot of no saved state; not imported")
    edir = folder / "events"
    if not edir.is_dir():
        warnings.append("events/: missing; screens imported without steps")
    else:
        for p in sorted(edir.glob("event_*.json")):
            d = _load(p, warnings, "event skipped")
            if d is None:
                continue
            e = _event(d, p.name) if isinstance(d, Mapping) else None
            if e is None:
                warnings.append(f"{p.name}: no event object; skipped")
                continue
            crawl.events.append(e)
    if not crawl.package:
        pkgs = [s.package for s in crawl.states if "launcher" not in s.package]
        crawl.package = max(set(pkgs), key=pkgs.count) if pkgs else ""
    if not crawl.package:
        raise InputError(f"{folder}: cannot tell which app was crawled (no utg.js, no states)")
    if crawl.width and crawl.states:
        first = next((s.image for s in crawl.states if s.image is not None), None)
        if first is not None:
            crawl.width, crawl.height = _image_size(first, (crawl.width, crawl.height))
    return crawl


def _size(views: list[Any]) -> tuple[int, int]:
    """Screen size from the root view's bounds."""
    w = h = 0
    for v in views:
        b = _bounds(v.get("bounds")) if isinstance(v, Mapping) else None
        if b:
            w, h = max(w, b[2]), max(h, b[3])
    return w, h


def _image_size(path: Path, default: tuple[int, int]) -> tuple[int, int]:
    from PIL import Image

    try:
        with Image.open(path) as im:
            return im.size
    except OSError:
        return default
