"""A phone without hardware: a loopback adb server and a uiautomator2 server over a Device.

The unmodified ``adbutils`` and ``uiautomator2`` clients talk to it exactly as to a USB phone
(ADB host protocol on ``127.0.0.1:<port>``, the u2 JSON-RPC server behind ``tcp:9008``), so
tests run darkscan's real-device code path end to end::

    with FakeAdbServer([FakePhone(VirtualDevice(apps, serial="virtual-1"))]) as server:
        os.environ["ANDROID_ADB_SERVER_PORT"] = str(server.port)
        device = darkscan.device.u2.connect("virtual-1")

Only for tests and demos; it listens on loopback only.
"""

from darkscan.device.adb_fake.phone import DeviceState, FakePhone, Faults
from darkscan.device.adb_fake.server import FakeAdbServer, serving

__all__ = ["DeviceState", "FakeAdbServer", "FakePhone", "Faults", "serving"]
