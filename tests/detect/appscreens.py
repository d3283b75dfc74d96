"""Every screen of a virtual app, reached by tapping (breadth-first), rendered once.

Returns {screen id: Screen(png array, xml, density, path)}. Used as the oracle side of the
detector tests together with the app's ``design:`` block (tests may read design; code never).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from darkscan.device.hierarchy import parse_hierarchy
from darkscan.device.virtual import VirtualDevice


@dataclass(frozen=True)
class AppScreen:
    id: str
    image: np.ndarray
    xml: str
    density: float
    path: tuple[tuple[int, int], ...]


def _replay(app: Path, package: str, path: tuple[tuple[int, int], ...]) -> VirtualDevice:
    dev = VirtualDevice([app])
    dev.app_start(package)
    for x, y in path:
        dev.tap(x, y)
    return dev


def explore(app: Path, max_screens: int = 60) -> dict[str, AppScreen]:
    dev = VirtualDevice([app])
    package = next(iter(dev.installed))
    dev.app_start(package)
    screens: dict[str, AppScreen] = {}
    queue: list[tuple[tuple[int, int], ...]] = [()]
    while queue and len(screens) < max_screens:
        path = queue.pop(0)
        dev = _replay(app, package, path)
        pkg, sid = dev.current_screen()
        if pkg != package or sid in screens:
            continue
        xml = dev.dump_hierarchy()
        screens[sid] = AppScreen(sid, dev.screenshot(), xml, dev.density(), path)
        h = parse_hierarchy(xml).for_package(package)
        for n in h.clickable():
            if n.checkable or n.password:
                continue
            queue.append(path + (n.bounds.center,))
    return screens
