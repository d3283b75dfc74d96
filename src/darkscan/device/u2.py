"""Real Android phones through the uiautomator2 3.x client (``uiautomator2.connect(serial)``).

:class:`U2Device` implements :class:`darkscan.device.protocol.Device`. It handles what users of
uiautomator2 meet on real phones:

* "UiAutomation not connected" / a dead server: uiautomator2 restarts its server once by
  itself; darkscan restarts it once more, then gives up with a DeviceError.
* an empty hierarchy (the app is between windows): retried a few times.
* FLAG_SECURE pages: the screenshot comes back black (or null, then ``screencap``'s black);
  ``last_screenshot_secure`` says so, and the crawler analyses the hierarchy only.
* the phone disconnecting: :class:`~darkscan.errors.DeviceDisconnected`, which the crawler
  turns into a resumable stop (``darkscan crawl --resume``).
* a UI that never idles (video, animations): uiautomator's ``waitForIdleTimeout`` is cut from
  10 s to ``idle_timeout_ms`` so each dump and tap does not stall.
* another accessibility service holding UiAutomation: a message naming it and how to stop it.
"""

from __future__ import annotations

import base64
import http.client
import io
import re
import time
from collections.abc import Callable
from typing import TypeVar

import adbutils
import numpy as np
import uiautomator2
from PIL import Image
from uiautomator2 import exceptions as u2e

from darkscan.device import adb
from darkscan.device.hierarchy import Hierarchy, parse_hierarchy
from darkscan.device.protocol import CurrentApp, DeviceInfo
from darkscan.errors import DeviceDisconnected, DeviceError, HierarchyError

__all__ = ["IDLE_TIMEOUT_MS", "U2Device", "connect"]

T = TypeVar("T")

IDLE_TIMEOUT_MS = 300
SECURE_MAX_LEVEL = 4  # a screenshot whose every pixel is at most this is a FLAG_SECURE black
EMPTY_DUMP_RETRIES = 3
# Windows that are never the app: the status/navigation bars and keyboards.
CHROME_PACKAGES = frozenset({"com.android.systemui"})
# Dialogs another package draws for the app (runtime permission prompts): kept with the app.
PROMPT_PACKAGES = frozenset({
    "com.google.android.permissioncontroller", "com.android.permissioncontroller",
    "com.android.packageinstaller", "com.google.android.packageinstaller",
})
# Processes known to hold UiAutomation, with how to stop them.
UIAUTOMATION_HOLDERS = {
    "io.appium.uiautomator2.server": "adb shell am force-stop io.appium.uiautomator2.server",
    "io.appium.uiautomator2.server.test":
        "adb shell am force-stop io.appium.uiautomator2.server.test",
    "com.github.uiautomator": "adb shell am force-stop com.github.uiautomator",
    "com.wetest.uia2.Main": "close the other uiautomator2 / weditor session using this phone",
    "uiautomator": "stop the running `uiautomator` / `am instrument` test on this phone",
}
_TRANSPORT_ERRORS = (adbutils.AdbError, OSError, http.client.HTTPException, EOFError,
                     u2e.ConnectError, u2e.AdbShellError, u2e.HTTPError)
_RESTARTABLE = (u2e.UiAutomationNotConnectedError, u2e.HTTPError, u2e.LaunchUiAutomationError)


class U2Device:
    """darkscan's Device over a connected ``uiautomator2.Device``."""

    def __init__(
        self,
        target: str | None | uiautomator2.Device = None,
        package: str | None = None,
        *,
        idle_timeout_ms: int = IDLE_TIMEOUT_MS,
        lossless_screenshots: bool = False,
    ) -> None:
        """Connect to the phone with serial ``target`` (None: the only one, or $ANDROID_SERIAL),
        or wrap an already connected ``uiautomator2.Device``. ``package`` is the app under test
        whose windows :meth:`dump_hierarchy` keeps (set by :meth:`app_start` too)."""
        d = target if isinstance(target, uiautomator2.Device) else _open(target)
        self._d = d
        self._serial = d.adb_device.serial or d.serial
        self._package = package
        self._idle_ms = idle_timeout_ms
        self._lossless = lossless_screenshots
        self._process_seen: object = None
        self._info: DeviceInfo | None = None
        self._ime_packages: frozenset[str] | None = None
        self.last_screenshot_secure = False
        self.retries = 0  # how often darkscan had to retry or restart (for run statistics)
        self._call("configuring uiautomator", self._configure)

    # -- plumbing ---------------------------------------------------------------------------
    @property
    def serial(self) -> str:
        return self._serial

    @property
    def u2(self) -> uiautomator2.Device:
        """The underlying uiautomator2 device (setup scripts may need more of its API)."""
        return self._d

    def _configure(self) -> None:
        """Shorten waitForIdle; redone whenever uiautomator2 restarted its server process."""
        self._d.jsonrpc.setConfigurator(
            {"waitForIdleTimeout": self._idle_ms, "waitForSelectorTimeout": 0})
        self._process_seen = self._d._process

    def _call(self, what: str, fn: Callable[[], T]) -> T:
        try:
            try:
                result = fn()
            except _RESTARTABLE as first:
                # uiautomator2 already restarted its server once inside the call; one more.
                self.retries += 1
                self._restart(what, first)
                result = fn()
            if self._d._process is not self._process_seen:
                self._configure()  # the client restarted the server: settings were lost
            return result
        except u2e.AccessibilityServiceAlreadyRegisteredError as e:
            raise self._holder_error(e) from None
        except (*_TRANSPORT_ERRORS, *_RESTARTABLE) as e:
            raise self._diagnose(what, e) from None
        except u2e.RPCError as e:
            raise DeviceError(f"{what} failed on {self._serial}: {_one_line(e)}") from None

    def _restart(self, what: str, cause: BaseException) -> None:
        try:
            self._d.reset_uiautomator()
        except u2e.AccessibilityServiceAlreadyRegisteredError as e:
            raise self._holder_error(e) from None
        except u2e.LaunchUiAutomationError as e:
            if "already registered" in str(e.args):
                raise self._holder_error(e) from None
            raise self._diagnose(what, e) from None
        except _TRANSPORT_ERRORS as e:
            raise self._diagnose(what, e) from None
        self._configure()

    def _diagnose(self, what: str, e: BaseException) -> DeviceError:
        if not adb.is_online(self._serial):
            return DeviceDisconnected(
                f"device {self._serial} disconnected during {what}; reconnect it and run the "
                "same `darkscan crawl FLOW --out RUN` with --resume to continue")
        if "already registered" in str(getattr(e, "args", "")):
            return self._holder_error(e)
        return DeviceError(
            f"{what} failed on {self._serial}: {type(e).__name__}: {_one_line(e)}",
            hint="if this repeats, replug the phone or run `python -m uiautomator2 init`")

    def _holder_error(self, e: BaseException) -> DeviceError:
        return DeviceError(holder_message(self._d.adb_device, self._serial))

    # -- Device protocol --------------------------------------------------------------------
    def info(self) -> DeviceInfo:
        if self._info is None:
            dev = self._d.adb_device

            def ask() -> DeviceInfo:
                w, h = self.window_size()
                return DeviceInfo(
                    serial=self._serial, model=dev.getprop("ro.product.model"),
                    android=dev.getprop("ro.build.version.release"), width=w, height=h,
                    density=self.density())

            self._info = self._call("reading device info", ask)
        return self._info

    def screenshot(self) -> np.ndarray:
        def take() -> Image.Image:
            if not self._lossless:
                data = self._d.jsonrpc.takeScreenshot(1, 100)
                if data:
                    return Image.open(io.BytesIO(base64.b64decode(data)))
            # null from the server (secure window on some builds) or lossless wanted
            return self._d.adb_device.screenshot(display_id=None)

        img = np.asarray(self._call("taking a screenshot", take).convert("RGB"), dtype=np.uint8)
        self.last_screenshot_secure = bool(img.size) and int(img.max()) <= SECURE_MAX_LEVEL
        return img

    def hierarchy(self) -> Hierarchy:
        """The target app's windows as a parsed :class:`Hierarchy` (see :meth:`dump_hierarchy`)."""
        h = Hierarchy()
        for attempt in range(EMPTY_DUMP_RETRIES + 1):
            raw = self._call("dumping the hierarchy", lambda: self._d.dump_hierarchy())
            try:
                full = parse_hierarchy(raw)
            except HierarchyError as e:
                raise DeviceError(f"{self._serial} sent an unreadable hierarchy: {e}") from None
            h = self._app_windows(full)
            if h.nodes:
                return h
            if attempt < EMPTY_DUMP_RETRIES:
                self.retries += 1
                time.sleep(0.3 * (attempt + 1))
        return h

    def dump_hierarchy(self) -> str:
        """uiautomator XML reduced to the target app's windows.

        The status bar, navigation bar and keyboards are dropped, and so are windows of other
        packages (chat bubbles, overlays), except permission prompts drawn over the app. When
        the target app has no window at all (another app is in front), every non-system
        window is kept so the caller sees where it is.
        """
        return self.hierarchy().to_xml()

    def _app_windows(self, full: Hierarchy) -> Hierarchy:
        chrome = CHROME_PACKAGES | self._imes()
        pkg = self._package
        if pkg is None or pkg not in full.packages():
            pkg = None
        keep = [
            r for r in full.roots
            if (r.package == pkg or (pkg is not None and r.package in PROMPT_PACKAGES))
            or (pkg is None and r.package not in chrome and ".inputmethod" not in r.package)
        ]
        return Hierarchy(keep, full.rotation)

    def _imes(self) -> frozenset[str]:
        if self._ime_packages is None:
            out = self._call("listing input methods",
                             lambda: self._d.shell(["ime", "list", "-s"]).output)
            self._ime_packages = frozenset(
                line.split("/", 1)[0].strip() for line in out.splitlines() if "/" in line)
        return self._ime_packages

    def tap(self, x: int, y: int) -> None:
        self._call(f"tapping ({x}, {y})", lambda: self._d.click(int(x), int(y)))

    def back(self) -> None:
        self._call("pressing back", lambda: self._d.press("back"))

    def home(self) -> None:
        self._call("pressing home", lambda: self._d.press("home"))

    def swipe(self, x1: int, y1: int, x2: int, y2: int, duration: float = 0.2) -> None:
        self._call("swiping", lambda: self._d.swipe(x1, y1, x2, y2, duration=duration))

    def send_text(self, text: str) -> None:
        def type_() -> None:
            try:
                self._d(focused=True).set_text(text, timeout=2)
            except u2e.UiObjectNotFoundError:
                raise DeviceError(f"no focused text field on {self._serial} to type into; "
                                  "tap the field first") from None

        self._call("typing", type_)

    def app_start(self, package: str) -> None:
        out = self.shell(f"pm path {package}")
        if "package:" not in out:
            raise DeviceError(f"{package} is not installed on {self._serial}",
                              hint="install it first (adb install APP.apk) or fix the package")
        self._package = package
        self._call(f"starting {package}", lambda: self._d.app_start(package))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and self.app_current().package != package:
            time.sleep(0.25)

    def app_stop(self, package: str) -> None:
        self._call(f"stopping {package}", lambda: self._d.app_stop(package))

    def app_current(self) -> CurrentApp:
        def ask() -> CurrentApp:
            cur = self._d.app_current()
            return CurrentApp(package=cur["package"], activity=cur["activity"])

        try:
            return self._call("reading the foreground app", ask)
        except DeviceDisconnected:
            raise
        except DeviceError:
            # uiautomator2 finds no focused window (screen off, lock screen, mid-transition)
            return CurrentApp(package="", activity="")

    def window_size(self) -> tuple[int, int]:
        w, h = self._call("reading the screen size", lambda: self._d.window_size())
        return int(w), int(h)

    def density(self) -> float:
        out = self.shell("wm density")
        m = re.search(r"Override density:\s*(\d+)", out) or re.search(r"density:\s*(\d+)", out)
        if not m:
            raise DeviceError(f"`wm density` on {self._serial} gave no density: {out.strip()!r}")
        return int(m.group(1)) / 160

    def shell(self, command: str | list[str]) -> str:
        """Run a shell command on the phone; its output."""
        return self._call(f"running `{command}`", lambda: self._d.shell(command).output)

    def close(self) -> None:
        """Stop the uiautomator2 server this session started (optional)."""
        try:
            self._d.stop_uiautomator(wait=False)
        except _TRANSPORT_ERRORS:
            pass


def _one_line(e: BaseException) -> str:
    text = " ".join(str(a) for a in getattr(e, "args", ()) if a) or type(e).__name__
    return " ".join(text.split())[:300]


def holder_message(dev: adbutils.AdbDevice, serial: str) -> str:
    """Name what holds UiAutomation on the phone and how to stop it."""
    found: list[str] = []
    try:
        services = dev.shell(["settings", "get", "secure", "enabled_accessibility_services"])
        found += [s for s in services.strip().split(":") if s and s != "null"]
        ps = dev.shell("ps -A")
    except adbutils.AdbError:
        ps = ""
    steps = [how for name, how in UIAUTOMATION_HOLDERS.items()
             if re.search(rf"\s{re.escape(name)}(\s|$)", ps)]
    for name in UIAUTOMATION_HOLDERS:
        if re.search(rf"\s{re.escape(name)}(\s|$)", ps):
            found.append(name)
    what = ", ".join(dict.fromkeys(found)) or "another automation or accessibility service"
    if found and not steps:
        steps = ["turn it off in Settings › Accessibility"]
    fallback = ("close other uiautomator2 / Appium / weditor sessions and turn off "
                "accessibility services in Settings › Accessibility")
    todo = "; ".join(steps or [fallback])
    return (f"UiAutomation on {serial} is held by {what}; stop it ({todo}) and retry — "
            "only one UiAutomation client can drive a phone at a time")


def _open(serial: str | None) -> uiautomator2.Device:
    """Resolve the phone through adb and start uiautomator2 on it (pushing its server jar)."""
    client = adb.client()
    dev = adb.resolve(serial, client)
    try:
        return uiautomator2.connect(dev)
    except u2e.AccessibilityServiceAlreadyRegisteredError:
        raise DeviceError(holder_message(dev, dev.serial or "")) from None
    except u2e.LaunchUiAutomationError as e:
        if "already registered" in str(e.args):
            raise DeviceError(holder_message(dev, dev.serial or "")) from None
        raise DeviceError(f"the uiautomator2 server did not start on {dev.serial}: "
                          f"{_one_line(e)}",
                          hint="try `python -m uiautomator2 init` and check the phone "
                               "allows USB debugging (security settings) on MIUI/ColorOS") \
            from None
    except (*_TRANSPORT_ERRORS, u2e.UiAutomationError) as e:
        if not adb.is_online(dev.serial or ""):
            raise DeviceDisconnected(f"device {dev.serial} disconnected while connecting") \
                from None
        raise DeviceError(f"could not connect to {dev.serial}: {type(e).__name__}: "
                          f"{_one_line(e)}") from None


def connect(
    serial: str | None = None,
    *,
    package: str | None = None,
    idle_timeout_ms: int = IDLE_TIMEOUT_MS,
    lossless_screenshots: bool = False,
) -> U2Device:
    """Connect to a phone through adb and uiautomator2 (same as ``U2Device(serial, package)``)."""
    return U2Device(serial, package, idle_timeout_ms=idle_timeout_ms,
                    lossless_screenshots=lossless_screenshots)
