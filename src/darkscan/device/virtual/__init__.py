"""The virtual device: runs apps described in YAML (docs/app-format.md) behind the Device protocol.

    from darkscan.device.virtual import VirtualDevice, load_app
    dev = VirtualDevice(["app.yaml"]); dev.app_start("com.example.video"); dev.screenshot()
"""

from __future__ import annotations

from darkscan.device.virtual.appfile import load_app, parse_app
from darkscan.device.virtual.device import Counters, DeviceEvent, EventKind, VirtualDevice
from darkscan.device.virtual.model import App
from darkscan.device.virtual.system import LAUNCHER, SETTINGS

__all__ = [
           "LAUNCHER",
           "SETTINGS",
           "App",
           "Counters",
           "DeviceEvent",
           "EventKind",
           "VirtualDevice",
           "load_app",
           "parse_app",
]
