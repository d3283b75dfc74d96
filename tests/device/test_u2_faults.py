"""What real phones do to uiautomator2 users, injected into the loopback phone, end to end."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from darkscan.device import u2
from darkscan.device.adb_fake import FakePhone, serving
from darkscan.device.virtual import VirtualDevice
from darkscan.errors import DeviceDisconnected, DeviceError

DATA = Path(__file__).parent / "data"
PKG = "com.example.u2shop"


@pytest.fixture()
def phone() -> Iterator[FakePhone]:
    p = FakePhone(VirtualDevice([DATA / "u2_shop.yaml"], serial="virtual-1"))
    with serving(p):
        yield p


@pytest.fixture()
def dev(phone: FakePhone) -> u2.U2Device:
    d = u2.connect("virtual-1")
    d.app_start(PKG)
    return d


def test_uiautomation_not_connected_restarts_the_server(
    dev: u2.U2Device, phone: FakePhone
) -> None:
    phone.faults.uiautomation_lost = True
    assert "Welcome back" in dev.hierarchy().texts()
    assert phone.stats.server_starts == 2
    # the new server process started with uiautomator's 10 s idle wait; darkscan re-applied its own
    assert phone.configurator["waitForIdleTimeout"] == u2.IDLE_TIMEOUT_MS


def test_server_process_killed_is_restarted(dev: u2.U2Device, phone: FakePhone) -> None:
    phone.kill_server()
    dev.tap(270, 233)  # "Open card"
    assert dev.app_current().activity == ".CardActivity"
    assert phone.stats.server_starts == 2


def test_empty_dump_is_retried(dev: u2.U2Device, phone: FakePhone) -> None:
    phone.faults.empty_dumps = 1  # uiautomator2's own retry covers this one
    assert "Welcome back" in dev.hierarchy().texts()
    phone.faults.empty_dumps = 4  # beyond uiautomator2's three tries: darkscan retries
    retries = dev.retries
    assert "Welcome back" in dev.hierarchy().texts()
    assert dev.retries == retries + 1
    assert phone.faults.empty_dumps == 0


def test_busy_ui_does_not_stall_each_call(phone: FakePhone) -> None:
    phone.faults.busy_ui = True
    fast = u2.connect("virtual-1", idle_timeout_ms=100)
    fast.app_start(PKG)
    t0 = time.monotonic()
    fast.hierarchy()
    fast.tap(270, 233)
    assert time.monotonic() - t0 < 1.5
    slow = u2.connect("virtual-1", idle_timeout_ms=1200)
    t0 = time.monotonic()
    slow.hierarchy()
    assert time.monotonic() - t0 >= 1.2  # the setting really reaches the server


def test_unplugged_phone_raises_device_disconnected(dev: u2.U2Device, phone: FakePhone) -> None:
    phone.unplug()
    with pytest.raises(DeviceDisconnected, match="virtual-1 disconnected.*--resume"):
        dev.hierarchy()
    with pytest.raises(DeviceDisconnected):
        dev.tap(10, 10)
    phone.plug()  # back: the same session carries on after the client restarts the server
    assert "Welcome back" in dev.hierarchy().texts()


def test_disconnect_in_the_middle_of_a_call(dev: u2.U2Device, phone: FakePhone) -> None:
    phone.faults.disconnect_after_rpcs = 0  # the very next RPC loses the phone mid-request
    with pytest.raises(DeviceDisconnected):
        dev.screenshot()
    assert not phone.visible


def test_accessibility_service_holding_uiautomation(phone: FakePhone) -> None:
    phone.faults.accessibility_holder = "com.example.a11y/.TouchHelperService"
    with pytest.raises(DeviceError) as e:
        u2.connect("virtual-1")
    msg = str(e.value)
    assert "held by com.example.a11y/.TouchHelperService" in msg
    assert "Settings › Accessibility" in msg and "\n" not in msg


def test_holder_appearing_mid_session(dev: u2.U2Device, phone: FakePhone) -> None:
    phone.faults.accessibility_holder = "com.example.a11y/.TouchHelperService"
    phone.faults.uiautomation_lost = True
    with pytest.raises(DeviceError, match="held by com.example.a11y"):
        dev.hierarchy()


def test_appium_server_is_named_with_its_stop_command(phone: FakePhone) -> None:
    phone.faults.accessibility_holder = "io.appium.uiautomator2.server/.Service"
    with pytest.raises(DeviceError, match="am force-stop io.appium.uiautomator2.server"):
        u2.connect("virtual-1")
