"""The device side of a fake phone: adbd's shell, its files and the uiautomator2 server process.

A :class:`FakePhone` wraps any object implementing :class:`darkscan.device.protocol.Device`
(the virtual device) and answers what the unmodified ``adbutils`` / ``uiautomator2`` clients ask
a real phone: ``getprop``, ``wm size``, ``wm density``, ``dumpsys window``, ``am start``,
``am force-stop``, ``monkey``, ``pm list packages``, ``input keyevent``, ``screencap -p``,
``toybox md5sum`` and the ``app_process`` launch of ``u2.jar``. :class:`Faults` switches on the
failures real phones show (unplugged, unauthorised, UiAutomation lost, another accessibility
service holding UiAutomation, empty dumps, a UI that never idles).
"""

from __future__ import annotations

import hashlib
import io
import shlex
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from darkscan.device.protocol import Device

EXIT_MAGIC = "; echo X4EXIT:$?"
U2_PORT = 9008
SYSTEM_PACKAGES = ("android", "com.android.systemui", "com.android.settings",
                   "com.android.launcher3", "com.google.android.inputmethod.latin")
# androidx.test.uiautomator.Configurator defaults (milliseconds)
DEFAULT_CONFIGURATOR = {
    "actionAcknowledgmentTimeout": 3000, "keyInjectionDelay": 0,
    "scrollAcknowledgmentTimeout": 200, "waitForIdleTimeout": 10000,
    "waitForSelectorTimeout": 10000,
}
_KEYCODES = {"3": "home", "4": "back", "HOME": "home", "BACK": "back",
             "KEYCODE_HOME": "home", "KEYCODE_BACK": "back"}


class DeviceState:
    """States ``adb devices`` reports."""

    DEVICE = "device"
    UNAUTHORIZED = "unauthorized"
    OFFLINE = "offline"


@dataclass
class Faults:
    """Failures to inject; tests flip these while a client is connected."""

    online: bool = True  # False = cable pulled: gone from `adb devices`, open streams cut
    state: str = DeviceState.DEVICE
    uiautomation_lost: bool = False  # RPCs fail "UiAutomation not connected" until restart
    accessibility_holder: str | None = None  # e.g. "com.example.a11y/.Service" blocks u2
    empty_dumps: int = 0  # the next N dumps are `<hierarchy rotation="0" />`
    busy_ui: bool = False  # the UI never idles: each UI call waits waitForIdleTimeout
    disconnect_after_rpcs: int | None = None  # unplug after this many more RPC calls
    null_screenshots: bool = True  # takeScreenshot answers null for an all-black (secure) screen


@dataclass
class Stats:
    rpc: dict[str, int] = field(default_factory=dict)
    shell: list[str] = field(default_factory=list)
    server_starts: int = 0


class _Process:
    """A running ``app_process`` (the uiautomator2 server) tied to its adb shell stream."""

    def __init__(self, conn: socket.socket) -> None:
        self.conn = conn
        self.alive = True
        self.lock = threading.Lock()

    def kill(self) -> None:
        with self.lock:
            if not self.alive:
                return
            self.alive = False
        try:
            self.conn.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.conn.close()


class FakePhone:
    """One phone: ``serial``, model, Android version, the wrapped device and injected faults."""

    def __init__(
        self,
        device: Device,
        *,
        serial: str | None = None,
        model: str = "Pixel 7",
        android: str = "14",
        sdk: int = 34,
        installed: Callable[[], list[str]] | None = None,
    ) -> None:
        self.device = device
        self.serial = serial or device.serial
        self.model = model
        self.android = android
        self.sdk = sdk
        self.faults = Faults()
        self.stats = Stats()
        self.files: dict[str, bytes] = {}
        self.lock = threading.RLock()  # the wrapped device is not thread-safe
        self.configurator: dict[str, int] = dict(DEFAULT_CONFIGURATOR)
        self.clipboard = ""
        self._installed = installed
        self._server: _Process | None = None
        self._streams: set[socket.socket] = set()

    # -- state ------------------------------------------------------------------------------
    @property
    def state(self) -> str:
        return self.faults.state

    @property
    def visible(self) -> bool:
        """Listed by ``adb devices`` (in any state)."""
        return self.faults.online

    @property
    def server_running(self) -> bool:
        return self._server is not None and self._server.alive

    def unplug(self) -> None:
        """Pull the cable: the phone vanishes and every open adb stream to it breaks."""
        self.faults.online = False
        self.kill_server()
        for s in list(self._streams):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def plug(self) -> None:
        self.faults.online = True
        self.faults.disconnect_after_rpcs = None

    def kill_server(self) -> None:
        """The uiautomator2 server process dies (the system killed it, or it crashed)."""
        if self._server is not None:
            self._server.kill()
            self._server = None

    def track(self, s: socket.socket) -> None:
        self._streams.add(s)

    def untrack(self, s: socket.socket) -> None:
        self._streams.discard(s)

    def count_rpc(self, method: str) -> None:
        self.stats.rpc[method] = self.stats.rpc.get(method, 0) + 1
        left = self.faults.disconnect_after_rpcs
        if left is not None:
            if left <= 0:
                self.unplug()
            else:
                self.faults.disconnect_after_rpcs = left - 1

    # -- properties -------------------------------------------------------------------------
    def props(self) -> dict[str, str]:
        w, h = self.device.window_size()
        return {
            "ro.product.model": self.model,
            "ro.product.brand": "google",
            "ro.product.manufacturer": "Google",
            "ro.product.name": "darkscan_virtual",
            "ro.product.device": "virtual",
            "ro.product.cpu.abi": "x86_64",
            "ro.build.version.release": self.android,
            "ro.build.version.sdk": str(self.sdk),
            "ro.serialno": self.serial,
            "ro.sf.lcd_density": str(round(self.device.density() * 160)),
            "debug.darkscan.size": f"{w}x{h}",
        }

    def packages(self) -> list[str]:
        """Installed packages: the system ones every phone has, then the device's apps."""
        if self._installed is not None:
            apps = list(self._installed())
        else:
            found = getattr(self.device, "installed", None) or getattr(self.device, "packages", ())
            apps = list(found() if callable(found) else found)
        return [p for p in SYSTEM_PACKAGES if p not in apps] + apps

    # -- shell ------------------------------------------------------------------------------
    def start_server(self, conn: socket.socket) -> bool:
        """``app_process ... com.wetest.uia2.Main``: returns False when the launch fails."""
        if self.faults.accessibility_holder:
            conn.sendall(
                b"[server] INFO: [UiAutomator2Server] Starting Server\n"
                b"java.lang.IllegalStateException: UiAutomationService "
                b"android.accessibilityservice.IAccessibilityServiceClient$Stub$Proxy@5deffd5"
                b"already registered!\n"
            )
            return False
        self.kill_server()
        self._server = _Process(conn)
        self.faults.uiautomation_lost = False
        self.configurator.update(DEFAULT_CONFIGURATOR)  # a new process starts with defaults
        self.stats.server_starts += 1
        conn.sendall(b"[server] INFO: [UiAutomator2Server] Starting Server\n")
        return True

    def server_for(self, conn: socket.socket) -> _Process | None:
        return self._server if self._server is not None and self._server.conn is conn else None

    def shell(self, command: str) -> bytes:
        """Run a non-interactive shell command; the output as adbd would stream it."""
        self.stats.shell.append(command)
        magic = command.endswith(EXIT_MAGIC)
        if magic:
            command = command[: -len(EXIT_MAGIC)]
        with self.lock:
            out, rc = self._run(command)
        if magic:
            out += f"X4EXIT:{rc}\n".encode()
        return out

    def _run(self, command: str) -> tuple[bytes, int]:
        try:
            argv = shlex.split(command)
        except ValueError:
            return b"/system/bin/sh: syntax error: unmatched quote\n", 2
        if not argv:
            return b"", 0
        name, args = argv[0], argv[1:]
        handler = getattr(self, "_sh_" + name.replace("-", "_"), None)
        if handler is None:
            return f"/system/bin/sh: {name}: inaccessible or not found\n".encode(), 127
        return handler(args)

    def _text(self, s: str, rc: int = 0) -> tuple[bytes, int]:
        return (s + "\n" if s and not s.endswith("\n") else s).encode(), rc

    def _sh_getprop(self, args: list[str]) -> tuple[bytes, int]:
        props = self.props()
        if args:
            return self._text(props.get(args[0], ""))
        return self._text("\n".join(f"[{k}]: [{v}]" for k, v in sorted(props.items())))

    def _sh_wm(self, args: list[str]) -> tuple[bytes, int]:
        if args[:1] == ["size"]:
            w, h = self.device.window_size()
            return self._text(f"Physical size: {w}x{h}")
        if args[:1] == ["density"]:
            return self._text(f"Physical density: {round(self.device.density() * 160)}")
        return self._text("Error: unknown command", 1)

    def _current(self) -> tuple[str, str]:
        cur = self.device.app_current()
        return cur.package, cur.activity

    def _sh_dumpsys(self, args: list[str]) -> tuple[bytes, int]:
        what = args[0] if args else ""
        if what == "window":
            pkg, act = self._current()
            return self._text(
                "WINDOW MANAGER WINDOWS (dumpsys window windows)\n"
                f"  Window #0 Window{{5f3a2c1 u0 {pkg}/{act}}}:\n"
                f"  mCurrentFocus=Window{{5f3a2c1 u0 {pkg}/{act}}}\n"
                f"  mFocusedApp=ActivityRecord{{8b1d2e4 u0 {pkg}/{act} t12}}"
            )
        if what == "activity":
            pkg, act = self._current()
            return self._text(
                f"  mResumedActivity: ActivityRecord{{8b1d2e4 u0 {pkg}/{act} t12}}\n"
                f"  ACTIVITY {pkg}/{act} 1a2b3c pid=4242"
            )
        if what == "display":
            w, h = self.device.window_size()
            return self._text(
                f"  mOverrideDisplayInfo=DisplayInfo{{\"Built-in Screen\", real {w} x {h}, "
                "rotation 0, density 320}\n  mCurrentOrientation=0\n  orientation=0"
            )
        return self._text("")

    def _sh_am(self, args: list[str]) -> tuple[bytes, int]:
        if args[:1] == ["force-stop"] and len(args) >= 2:
            self.device.app_stop(args[-1])
            return self._text("")
        if args[:1] == ["start"]:
            if "-n" in args:
                comp = args[args.index("-n") + 1]
                pkg = comp.split("/", 1)[0]
                if pkg not in self.packages():
                    return self._text(
                        f"Error: Activity class {{{comp}}} does not exist.", 1)
                self.device.app_start(pkg)
                return self._text(f"Starting: Intent {{ cmp={comp} }}")
            return self._text("Error: no activity to handle the intent (offline phone)", 1)
        return self._text("Error: unsupported am command", 1)

    def _sh_monkey(self, args: list[str]) -> tuple[bytes, int]:
        if "-p" not in args:
            return self._text("** Error: no package given", 1)
        pkg = args[args.index("-p") + 1]
        if pkg not in self.packages():
            return self._text("** No activities found to run, monkey aborted.", 252)
        self.device.app_start(pkg)
        return self._text("  bash arg: -p\nEvents injected: 1\n## Network stats: elapsed time=12ms")

    def _sh_pm(self, args: list[str]) -> tuple[bytes, int]:
        if args[:2] == ["list", "packages"]:
            return self._text("\n".join(f"package:{p}" for p in self.packages()))
        if args[:1] == ["path"] and len(args) >= 2:
            if args[1] in self.packages():
                return self._text(f"package:/data/app/~~x==/{args[1]}-1/base.apk")
            return self._text("", 1)
        return self._text("Error: unsupported pm command", 1)

    def _sh_input(self, args: list[str]) -> tuple[bytes, int]:
        if args[:1] == ["keyevent"] and len(args) >= 2:
            key = _KEYCODES.get(args[-1].upper())
            if key == "back":
                self.device.back()
            elif key == "home":
                self.device.home()
            return self._text("")
        if args[:1] == ["tap"] and len(args) == 3:
            self.device.tap(int(float(args[1])), int(float(args[2])))
            return self._text("")
        if args[:1] == ["swipe"] and len(args) >= 5:
            x1, y1, x2, y2 = (int(float(a)) for a in args[1:5])
            ms = int(args[5]) if len(args) > 5 else 300
            self.device.swipe(x1, y1, x2, y2, ms / 1000)
            return self._text("")
        if args[:1] == ["text"] and len(args) == 2:
            self.device.send_text(args[1].replace("%s", " "))
            return self._text("")
        return self._text("Error: Unknown command", 1)

    def _sh_screencap(self, args: list[str]) -> tuple[bytes, int]:
        buf = io.BytesIO()
        Image.fromarray(np.asarray(self.device.screenshot(), dtype=np.uint8)).save(buf, "PNG")
        return buf.getvalue(), 0

    def _md5(self, args: list[str], tool: str) -> tuple[bytes, int]:
        path = args[-1] if args else ""
        if path not in self.files:
            return self._text(f"{tool}: {path}: No such file or directory", 1)
        return self._text(f"{hashlib.md5(self.files[path]).hexdigest()}  {path}")

    def _sh_toybox(self, args: list[str]) -> tuple[bytes, int]:
        if args[:1] == ["md5sum"]:
            return self._md5(args[1:], "md5sum")
        return self._text(f"toybox: Unknown command {args[:1]}", 1)

    def _sh_md5sum(self, args: list[str]) -> tuple[bytes, int]:
        return self._md5(args, "md5sum")

    def _sh_settings(self, args: list[str]) -> tuple[bytes, int]:
        if args[:3] == ["get", "secure", "enabled_accessibility_services"]:
            return self._text(self.faults.accessibility_holder or "null")
        if args[:1] == ["get"]:
            return self._text("null")
        return self._text("")

    def _sh_ps(self, args: list[str]) -> tuple[bytes, int]:
        lines = ["USER           PID  PPID     VSZ    RSS WCHAN            ADDR S NAME",
                 "root             1     0 1000000  9000 0                   0 S init"]
        pkg, _ = self._current()
        lines.append(f"u0_a190       4242   300 1500000 90000 0                   0 S {pkg}")
        if self.server_running:
            lines.append("shell         5151  5150 1200000 60000 0                   0 S "
                         "com.wetest.uia2.Main")
        holder = self.faults.accessibility_holder
        if holder:
            lines.append("u0_a201       6161   300 1300000 70000 0                   0 S "
                         + holder.split("/", 1)[0])
        return self._text("\n".join(lines))

    def _sh_echo(self, args: list[str]) -> tuple[bytes, int]:
        return self._text(" ".join(args))

    def _sh_rm(self, args: list[str]) -> tuple[bytes, int]:
        for a in args:
            self.files.pop(a, None)
        return self._text("")

    def _sh_ime(self, args: list[str]) -> tuple[bytes, int]:
        if args[:1] == ["list"]:
            return self._text("com.google.android.inputmethod.latin/com.android.inputmethod.latin.LatinIME")
        return self._text("")
