"""The small interface the crawler needs from a device.

It mirrors uiautomator2's API (``d.screenshot()``, ``d.dump_hierarchy()``, ``d.click(x, y)``,
``d.press("back")``, ``d.swipe(...)``, ``d.app_start(pkg)``, ``d.app_current()``,
``d.window_size()``, ``d.shell("wm density")``) so the real adapter is a thin layer and the
virtual device is a faithful stand-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np


@dataclass(frozen=True)
class CurrentApp:
    package: str
    activity: str


@dataclass(frozen=True)
class DeviceInfo:
    serial: str
    model: str
    android: str  # Android version, e.g. "14"; "virtual" for the virtual device
    width: int
    height: int
    density: float  # pixels per dp (dpi / 160)


@runtime_checkable
class Device(Protocol):
    """What darkscan needs from a phone. All coordinates are screen pixels."""

    @property
    def serial(self) -> str: ...

    def info(self) -> DeviceInfo: ...

    def screenshot(self) -> np.ndarray:
        """The screen as an RGB ``uint8`` array of shape (height, width, 3)."""
        ...

    def dump_hierarchy(self) -> str:
        """uiautomator XML of every window on screen (filter with ``device.hierarchy``)."""
        ...

    def tap(self, x: int, y: int) -> None: ...

    def back(self) -> None: ...

    def home(self) -> None: ...

    def swipe(self, x1: int, y1: int, x2: int, y2: int, duration: float = 0.2) -> None: ...

    def send_text(self, text: str) -> None:
        """Type into the focused field (setup steps only; the crawler never types passwords)."""
        ...

    def app_start(self, package: str) -> None: ...

    def app_stop(self, package: str) -> None: ...

    def app_current(self) -> CurrentApp: ...

    def window_size(self) -> tuple[int, int]: ...

    def density(self) -> float:
        """Pixels per dp (``wm density`` / 160)."""
        ...
