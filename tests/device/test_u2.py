"""The uiautomator2 adapter driven through the unmodified uiautomator2 + adbutils clients.

A loopback adb server and uiautomator2 JSON-RPC server (darkscan.device.adb_fake) serve a
VirtualDevice, so every call below crosses the real client code and the real wire protocols.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from darkscan.device import u2
from darkscan.device.adb_fake import FakePhone, serving
from darkscan.device.hierarchy import parse_hierarchy
from darkscan.device.protocol import Device
from darkscan.device.virtual import VirtualDevice
from darkscan.errors import DeviceError

DATA = Path(__file__).parent / "data"
PKG = "com.example.u2shop"


@pytest.fixture()
def vd() -> VirtualDevice:
    return VirtualDevice([DATA / "u2_shop.yaml"], serial="virtual-1")


@pytest.fixture()
def phone(vd: VirtualDevice) -> Iterator[FakePhone]:
    p = FakePhone(vd, model="Pixel 7", android="14")
    with serving(p):
        yield p


@pytest.fixture()
def dev(phone: FakePhone) -> u2.U2Device:
    d = u2.connect("virtual-1")
    d.app_start(PKG)
    return d


def _center_of(d: u2.U2Device, label: str) -> tuple[int, int]:
    h = d.hierarchy()
    (node,) = [n for n in h.clickable() if h.label_of(n) == label]
    return node.bounds.center


def test_connect_pushes_the_server_and_configures_idle_timeout(phone: FakePhone) -> None:
    d = u2.connect("virtual-1")
    assert isinstance(d, Device)
    import uiautomator2

    jar = Path(uiautomator2.__file__).parent / "assets" / "u2.jar"
    pushed = phone.files["/data/local/tmp/u2.jar"]
    assert hashlib.md5(pushed).digest() == hashlib.md5(jar.read_bytes()).digest()
    assert phone.stats.server_starts == 1
    assert phone.configurator["waitForIdleTimeout"] == u2.IDLE_TIMEOUT_MS
    info = d.info()
    assert (info.serial, info.model, info.android) == ("virtual-1", "Pixel 7", "14")
    assert (info.width, info.height, info.density) == (540, 960, 1.5)
    # a second session finds the jar by its md5 and the server alive: nothing pushed or started
    again = u2.U2Device("virtual-1", PKG)  # the form the crawler uses
    assert again.serial == "virtual-1"
    assert phone.stats.server_starts == 1
    assert any("md5sum /data/local/tmp/u2.jar" in c for c in phone.stats.shell)


def test_screenshot_matches_the_virtual_device(dev: u2.U2Device, vd: VirtualDevice) -> None:
    expected = vd.screenshot()
    got = dev.screenshot()  # JPEG quality 100 through takeScreenshot
    assert got.shape == expected.shape and got.dtype == np.uint8
    assert np.abs(got.astype(int) - expected.astype(int)).mean() < 2.0
    assert not dev.last_screenshot_secure
    exact = u2.U2Device(dev.u2, PKG, lossless_screenshots=True).screenshot()
    assert np.array_equal(exact, expected)  # screencap -p is lossless


def test_dump_keeps_only_the_app_windows(dev: u2.U2Device, vd: VirtualDevice) -> None:
    full = parse_hierarchy(vd.dump_hierarchy())
    assert "com.android.systemui" in full.packages()
    got = parse_hierarchy(dev.dump_hierarchy())
    assert got.packages() == [PKG]
    assert got.nodes == full.for_package(PKG).nodes  # same nodes, same stable paths
    assert "Welcome back" in got.texts()


def test_tap_changes_screen_and_back_returns(dev: u2.U2Device) -> None:
    assert dev.app_current().activity == ".HomeActivity"
    dev.tap(*_center_of(dev, "Open card"))
    assert dev.app_current().activity == ".CardActivity"
    dev.back()
    assert dev.app_current().activity == ".HomeActivity"
    dev.home()
    assert dev.app_current().package != PKG


def test_secure_screen_is_black_and_its_hierarchy_still_readable(
    dev: u2.U2Device, phone: FakePhone
) -> None:
    dev.tap(*_center_of(dev, "Open card"))
    img = dev.screenshot()
    assert img.shape == (960, 540, 3) and int(img.max()) == 0
    assert dev.last_screenshot_secure
    # the server answered null, so the client fell back to `screencap -p`
    assert any(c.startswith("screencap -p") for c in phone.stats.shell)
    assert "Card number" in dev.hierarchy().texts()
    dev.back()
    dev.screenshot()
    assert not dev.last_screenshot_secure


def test_dialog_window_of_the_app_is_kept(dev: u2.U2Device) -> None:
    dev.tap(*_center_of(dev, "Leave"))
    h = dev.hierarchy()
    assert "Leave the shop?" in h.texts()
    assert h.packages() == [PKG]
    dev.tap(*_center_of(dev, "Stay"))
    assert "Leave the shop?" not in dev.hierarchy().texts()


def test_swipe_scrolls_the_list(dev: u2.U2Device) -> None:
    before = dev.hierarchy().texts()
    dev.swipe(270, 800, 270, 300, 0.3)
    after = dev.hierarchy().texts()
    assert after != before
    assert any(t.startswith("Product ") and t not in before for t in after)


def test_send_text_types_into_the_focused_field(dev: u2.U2Device, vd: VirtualDevice) -> None:
    dev.tap(*_center_of(dev, "Promo code"))
    dev.send_text("SAVE10")
    assert "SAVE10" in dev.hierarchy().texts()


def test_app_stop_start_and_unknown_package(dev: u2.U2Device) -> None:
    dev.app_stop(PKG)
    assert dev.app_current().package != PKG
    dev.app_start(PKG)
    assert dev.app_current().package == PKG
    with pytest.raises(DeviceError, match="com.not.installed is not installed on virtual-1"):
        dev.app_start("com.not.installed")


def test_window_size_density_and_shell(dev: u2.U2Device) -> None:
    assert dev.window_size() == (540, 960)
    assert dev.density() == 1.5
    assert dev.shell("getprop ro.build.version.sdk").strip() == "34"


class _RecordedScreen:
    """A phone frozen on one recorded screen: a real-shaped dump and a blank image."""

    serial = "recorded-1"

    def __init__(self, xml: str, package: str) -> None:
        self.xml, self.package = xml, package

    def info(self):  # type: ignore[no-untyped-def]
        from darkscan.device.protocol import DeviceInfo

        return DeviceInfo(self.serial, "rec", "14", 1080, 2400, 2.75)

    def screenshot(self) -> np.ndarray:
        return np.full((2400, 1080, 3), 255, np.uint8)

    def dump_hierarchy(self) -> str:
        return self.xml

    def app_current(self):  # type: ignore[no-untyped-def]
        from darkscan.device.protocol import CurrentApp

        return CurrentApp(self.package, ".MainActivity")

    def window_size(self) -> tuple[int, int]:
        return (1080, 2400)

    def density(self) -> float:
        return 2.75

    installed = ("com.example.shop",)

    def tap(self, x: int, y: int) -> None: ...
    def back(self) -> None: ...
    def home(self) -> None: ...
    def swipe(self, *a: object) -> None: ...
    def send_text(self, text: str) -> None: ...
    def app_start(self, package: str) -> None: ...
    def app_stop(self, package: str) -> None: ...


@pytest.mark.parametrize(
    ("fixture", "kept"),
    [
        ("multiwindow.xml", ["com.example.shop"]),  # status bar, keyboard, nav bar dropped
        ("dialog.xml", ["com.example.shop", "com.google.android.permissioncontroller"]),
    ],
)
def test_real_dumps_are_reduced_to_the_app_and_its_prompts(fixture: str, kept: list[str]) -> None:
    rec = _RecordedScreen((DATA / fixture).read_text(encoding="utf-8"), "com.example.shop")
    with serving(FakePhone(rec)):  # type: ignore[arg-type]
        d = u2.connect("recorded-1", package="com.example.shop")
        h = parse_hierarchy(d.dump_hierarchy())
    assert h.packages() == kept
    full = parse_hierarchy(rec.xml)
    assert h.nodes == tuple(n for n in full.nodes if n.package in kept)
