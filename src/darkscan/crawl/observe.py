"""Turn the device's current state into a :class:`Screen`.

Long screens are observed whole: the crawler swipes the scrollable container until nothing new
appears (at most ``MAX_SCROLLS`` times - an endless list is cut there and reported), records
the swipes each widget needs and, per swipe, a segment (screenshot + hierarchy + how far the
content moved; crawl/segments.py), then swipes back to the top. The key is always taken at the
top, so a screen returned to half-scrolled is recognised after one scroll back up.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from darkscan.crawl.segments import Segment, scroll_offset
from darkscan.crawl.state import (
    Screen,
    ScreenKind,
    Widget,
    extract_widgets,
    is_black,
    screen_key,
    top_windows,
)
from darkscan.device.hierarchy import Hierarchy, Node, parse_hierarchy
from darkscan.device.protocol import Device
from darkscan.lexicon.normalize import normalize
from darkscan.lexicon.system import ANR_WORDS, CRASH_WORDS

MAX_SCROLLS = 4
SYSTEM_DIALOG_PACKAGES = ("android",)


def classify_package(pkg: str, target: str) -> ScreenKind:
    if pkg == target:
        return ScreenKind.APP
    low = pkg.lower()
    if "launcher" in low or low.endswith(".home") or "nexuslauncher" in low:
        return ScreenKind.LAUNCHER
    if low in SYSTEM_DIALOG_PACKAGES:
        return ScreenKind.SYSTEM_DIALOG
    if low.endswith(".settings") or low == "com.android.settings":
        return ScreenKind.SYSTEM
    return ScreenKind.EXTERNAL


@dataclass(frozen=True)
class Observation:
    screen: Screen
    endless: bool = False    # the scroll cap was hit while new content kept coming


def _scrollable(h: Hierarchy) -> Node | None:
    best: Node | None = None
    for n in h.nodes:
        if n.scrollable and not n.bounds.empty and n.bounds.height > 100:
            if best is None or n.bounds.area > best.bounds.area:
                best = n
    return best


def swipe_up(device: Device, box_: Node) -> None:
    """Scroll content up (reveal what is below) by ~60% of the container."""
    b = box_.bounds
    cx = (b.x1 + b.x2) // 2
    device.swipe(cx, b.y1 + int(b.height * 0.8), cx, b.y1 + int(b.height * 0.2), 0.2)


def swipe_down(device: Device, box_: Node) -> None:
    b = box_.bounds
    cx = (b.x1 + b.x2) // 2
    device.swipe(cx, b.y1 + int(b.height * 0.2), cx, b.y1 + int(b.height * 0.8), 0.2)


class Observer:
    def __init__(self, device: Device, package: str) -> None:
        self.device = device
        self.package = package
        self.width, self.height = device.window_size()

    def raw(self) -> tuple[str, str, Hierarchy, str]:
        cur = self.device.app_current()
        xml = self.device.dump_hierarchy()
        return cur.package, cur.activity, parse_hierarchy(xml), xml

    def _system_dialog(self, h: Hierarchy) -> Hierarchy | None:
        """A crash / ANR dialog of the system over whatever app."""
        for pkg in SYSTEM_DIALOG_PACKAGES:
            win = h.for_package(pkg)
            if win.nodes:
                text = normalize(" ".join(win.texts()))
                if any(w in text for w in CRASH_WORDS + ANR_WORDS):
                    return win
        return None

    def _build(self, kind: ScreenKind, pkg: str, activity: str, h: Hierarchy) -> tuple[Screen, Node | None, Hierarchy]:
        win = h.for_package(pkg)
        keyed, dialog, under = top_windows(win, self.width, self.height)
        key = screen_key(pkg, activity if kind is not ScreenKind.EXTERNAL else "", dialog,
                         keyed, self.width)
        if kind is ScreenKind.EXTERNAL:
            key = f"external:{pkg}"
        under_key = ""
        if under.nodes:
            u_keyed, _, _ = top_windows(under, self.width, self.height)
            under_key = screen_key(pkg, activity, False, u_keyed, self.width)
        widgets = tuple(extract_widgets(keyed, 0, self.width, self.height))
        screen = Screen(kind=kind, package=pkg, activity=activity, key=key, dialog=dialog,
                        secure=False, widgets=widgets, under_key=under_key, xml=keyed.to_xml(),
                        texts=tuple(keyed.texts()))
        return screen, _scrollable(keyed), keyed

    def observe(self, known: Callable[[str], bool], *, full: bool = True) -> Observation:
        """Observe the screen; ``full`` scrolls new screens to collect every widget.

        ``known(key)`` says whether a key is already in the graph: a known screen is not
        scrolled again (its widgets are on record), an unknown scrollable one is first scrolled
        back to the top in case we came back to it half-scrolled.
        """
        pkg, activity, h, _ = self.raw()
        sysdlg = self._system_dialog(h)
        if sysdlg is not None:
            key = "system_dialog:" + ("anr" if any(w in normalize(" ".join(sysdlg.texts()))
                                                   for w in ANR_WORDS) else "crash")
            widgets = tuple(extract_widgets(sysdlg, 0, self.width, self.height))
            return Observation(Screen(ScreenKind.SYSTEM_DIALOG, "android", "", key, True, False,
                                      widgets, xml=sysdlg.to_xml(), texts=tuple(sysdlg.texts())))
        kind = classify_package(pkg, self.package)
        screen, scroller, keyed = self._build(kind, pkg, activity, h)
        if kind is ScreenKind.EXTERNAL or scroller is None or not full:
            return Observation(screen if known(screen.key) else self._with_image(screen))
        if not known(screen.key):
            # maybe we are back on a known screen, scrolled: go to the top first
            before = screen.key
            for _ in range(MAX_SCROLLS + 1):
                swipe_down(self.device, scroller)
                pkg2, act2, h2, _ = self.raw()
                s2, sc2, k2 = self._build(kind, pkg2, act2, h2)
                if s2.key == screen.key or pkg2 != pkg:
                    break
                screen, scroller, keyed = s2, sc2 or scroller, k2
            del before
        if known(screen.key):
            return Observation(screen)
        image = self._image()
        # new screen: collect the widgets below the fold
        merged: list[Widget] = list(screen.widgets)
        bases = {w.sig.rsplit("#", 1)[0] for w in merged}
        texts = list(screen.texts)
        swipes = 0
        endless = False
        last_xml = screen.xml
        segments: list[Segment] = []
        prev, offset = keyed, 0
        while True:
            if swipes >= MAX_SCROLLS:
                endless = True
                break
            swipe_up(self.device, scroller)
            swipes += 1
            pkg2, act2, h2, _ = self.raw()
            if pkg2 != pkg:
                break
            keyed2, _, _ = top_windows(h2.for_package(pkg2), self.width, self.height)
            xml2 = keyed2.to_xml()
            if xml2 == last_xml:
                swipes -= 1  # that swipe moved nothing
                break
            last_xml = xml2
            # what a user sees here: its own screenshot and hierarchy, and how far it moved
            shift = scroll_offset(prev, keyed2, scroller.bounds)
            offset += shift if shift is not None else int(scroller.bounds.height * 0.6)
            segments.append(Segment(swipes, offset, xml2, self._image()))
            prev = keyed2
            new = 0
            for w in extract_widgets(keyed2, swipes, self.width, self.height):
                base = w.sig.rsplit("#", 1)[0]
                if base in bases:
                    continue
                bases.add(base)
                merged.append(replace(w, sig=f"{base}#1"))
                new += 1
            texts.extend(t for t in keyed2.texts() if t not in texts)
            if new == 0 and not any("item|" in w.sig for w in merged):
                break
        for _ in range(swipes + 1):
            swipe_down(self.device, scroller)
        screen = replace(screen, widgets=tuple(merged), texts=tuple(texts), image=image,
                         secure=is_black(image), segments=tuple(segments),
                         scroller=scroller.bounds if segments else None)
        return Observation(screen, endless=endless)

    def _image(self):  # noqa: ANN202 - numpy array
        return self.device.screenshot()

    def _with_image(self, screen: Screen) -> Screen:
        img = self._image()
        return replace(screen, image=img, secure=is_black(img))

    def find(self, screen: Screen, sig: str, scroll: int) -> Widget | None:
        """Bring a widget of the current screen into view (``scroll`` swipes) and locate it."""
        if scroll == 0:
            return next((w for w in screen.widgets if w.sig == sig), None)
        pkg, activity, h, _ = self.raw()
        keyed, _, _ = top_windows(h.for_package(pkg), self.width, self.height)
        scroller = _scrollable(keyed)
        if scroller is None:
            return None
        for _ in range(scroll):
            swipe_up(self.device, scroller)
        pkg, activity, h, _ = self.raw()
        keyed, _, _ = top_windows(h.for_package(pkg), self.width, self.height)
        base = sig.rsplit("#", 1)[0]
        for w in extract_widgets(keyed, scroll, self.width, self.height):
            if w.sig.rsplit("#", 1)[0] == base:
                return w
        return None
