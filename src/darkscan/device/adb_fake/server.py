"""A loopback adb server speaking the ADB host protocol (what ``adb start-server`` listens with).

Clients connect to ``127.0.0.1:<port>`` (select it with ``ANDROID_ADB_SERVER_PORT``). Requests
are ``<4 hex digits length><command>``; answers are ``OKAY`` / ``FAIL<len><message>``. Served:
``host:version``, ``host:devices[-l]``, ``host:kill``, ``host:connect:``, ``host:disconnect:``,
``host[-serial:S]:wait-for-*``, ``host-serial:S:get-state|features|get-serialno``,
``host:transport:S`` / ``host:tport:serial:S`` / ``host:transport-any``, then in a transport
``shell:``, ``sync:`` (STAT, SEND, RECV, LIST) and ``tcp:9008`` (the uiautomator2 server).
"""

from __future__ import annotations

import contextlib
import os
import socket
import socketserver
import stat
import struct
import threading
import time
from collections.abc import Iterable, Iterator

from darkscan.device.adb_fake.phone import U2_PORT, DeviceState, FakePhone
from darkscan.device.adb_fake.rpc import serve_http

ADB_VERSION = 41
_DIRS = {"/", "/data", "/data/local", "/data/local/tmp", "/sdcard"}


class _Closed(Exception):
    """The client went away."""


class _Conn:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def read(self, n: int) -> bytes:
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise _Closed
            buf += chunk
        return buf

    def request(self) -> str:
        size = int(self.read(4), 16)
        return self.read(size).decode("utf-8", errors="replace")

    def okay(self, payload: bytes = b"") -> None:
        self.sock.sendall(b"OKAY" + payload)

    def block(self, text: str) -> bytes:
        data = text.encode()
        return b"%04x" % len(data) + data

    def fail(self, message: str) -> None:
        self.sock.sendall(b"FAIL" + self.block(message))


class FakeAdbServer:
    """Serve :class:`FakePhone` s on loopback. Use as a context manager or ``start()/stop()``."""

    def __init__(self, phones: Iterable[FakePhone] = (), port: int = 0) -> None:
        self.phones: dict[str, FakePhone] = {p.serial: p for p in phones}
        self._port = port
        self._server: socketserver.ThreadingTCPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------------
    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("server not started")
        return int(self._server.server_address[1])

    def start(self) -> FakeAdbServer:
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                try:
                    outer._handle(_Conn(self.request))
                except (_Closed, OSError, ValueError):
                    pass

        class Server(socketserver.ThreadingTCPServer):
            allow_reuse_address = True
            daemon_threads = True

        self._server = Server(("127.0.0.1", self._port), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="fake-adb", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            for p in self.phones.values():
                p.kill_server()
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeAdbServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def add(self, phone: FakePhone) -> FakePhone:
        self.phones[phone.serial] = phone
        return phone

    # -- host services ----------------------------------------------------------------------
    def _listed(self) -> list[FakePhone]:
        return [p for p in self.phones.values() if p.visible]

    def _lookup(self, serial: str | None) -> tuple[FakePhone | None, str]:
        """The phone a transport goes to, or the error adb gives."""
        listed = self._listed()
        if serial is None:
            if not listed:
                return None, "no devices/emulators found"
            if len(listed) > 1:
                return None, "more than one device/emulator"
            phone = listed[0]
        else:
            phone = self.phones.get(serial)
            if phone is None or not phone.visible:
                return None, f"device '{serial}' not found"
        if phone.state == DeviceState.UNAUTHORIZED:
            return None, ("device unauthorized.\nThis adb server's $ADB_VENDOR_KEYS is not set\n"
                          "Try 'adb kill-server' if that seems wrong.\n"
                          "Otherwise check for a confirmation dialog on your device.")
        if phone.state == DeviceState.OFFLINE:
            return None, "device offline"
        return phone, ""

    def _devices(self, long: bool) -> str:
        lines = []
        for tid, p in enumerate(self._listed(), start=1):
            if long and p.state == DeviceState.DEVICE:
                model = p.model.replace(" ", "_")
                lines.append(f"{p.serial:<22} {p.state} product:darkscan_virtual "
                             f"model:{model} device:virtual transport_id:{tid}")
            elif long:
                lines.append(f"{p.serial:<22} {p.state} transport_id:{tid}")
            else:
                lines.append(f"{p.serial}\t{p.state}")
        return "".join(line + "\n" for line in lines)

    def _handle(self, c: _Conn) -> None:
        req = c.request()
        if req == "host:version":
            c.okay(c.block(f"{ADB_VERSION:04x}"))
        elif req in ("host:devices", "host:devices-l"):
            c.okay(c.block(self._devices(req.endswith("-l"))))
        elif req == "host:kill":
            c.okay()
            threading.Thread(target=self.stop, daemon=True).start()
        elif req.startswith("host:connect:"):
            addr = req.split(":", 2)[2]
            msg = (f"already connected to {addr}" if addr in self.phones
                   else f"failed to connect to '{addr}': Connection refused")
            c.okay(c.block(msg))
        elif req.startswith("host:disconnect:"):
            c.okay(c.block(f"disconnected {req.split(':', 2)[2]}"))
        elif req.startswith(("host:wait-for-", "host-serial:")) and "wait-for-" in req:
            serial = req.split(":")[1] if req.startswith("host-serial:") else None
            self._wait_for(c, serial)
        elif req.startswith("host-serial:"):
            _, serial, rest = req.split(":", 2)
            self._serial_service(c, serial, rest)
        elif req.startswith(("host:transport:", "host:tport:serial:")):
            serial = req.rsplit(":", 1)[1]
            self._transport(c, serial, tport=req.startswith("host:tport:"))
        elif req in ("host:transport-any", "host:tport:any"):
            self._transport(c, None, tport=req == "host:tport:any")
        else:
            c.fail(f"unknown host service '{req}'")

    def _wait_for(self, c: _Conn, serial: str | None) -> None:
        c.okay()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            phone, _ = self._lookup(serial)
            if phone is not None:
                c.okay()
                return
            time.sleep(0.05)

    def _serial_service(self, c: _Conn, serial: str, rest: str) -> None:
        phone = self.phones.get(serial)
        if rest == "get-state":
            if phone is None or not phone.visible:
                c.fail(f"device '{serial}' not found")
            else:
                c.okay(c.block(phone.state))
            return
        phone, err = self._lookup(serial)
        if phone is None:
            c.fail(err)
        elif rest == "features":
            c.okay(c.block("cmd,stat_v2,ls_v2,fixed_push_mkdir,apex,abb,abb_exec"))
        elif rest == "get-serialno":
            c.okay(c.block(phone.serial))
        elif rest == "get-devpath":
            c.okay(c.block("usb:1-1"))
        elif rest == "list-forward":
            c.okay(c.block(""))
        else:
            c.fail(f"unsupported service '{rest}' on this loopback adb server")

    # -- transport services -----------------------------------------------------------------
    def _transport(self, c: _Conn, serial: str | None, tport: bool) -> None:
        phone, err = self._lookup(serial)
        if phone is None:
            c.fail(err)
            return
        c.okay(struct.pack("<Q", 1) if tport else b"")
        req = c.request()
        phone.track(c.sock)
        try:
            if req.startswith("shell:"):
                self._shell(c, phone, req[len("shell:"):])
            elif req == "sync:":
                c.okay()
                self._sync(c, phone)
            elif req == f"tcp:{U2_PORT}":
                if not phone.server_running or not phone.visible:
                    c.fail(f"connect failed: Connection refused (tcp:{U2_PORT})")
                    return
                c.okay()
                serve_http(phone, c.sock)
            else:
                c.fail(f"unsupported transport service '{req}' on this loopback adb server")
        finally:
            phone.untrack(c.sock)

    def _shell(self, c: _Conn, phone: FakePhone, command: str) -> None:
        if "app_process" in command and "uia2" in command:
            c.okay()
            if not phone.start_server(c.sock):
                time.sleep(0.3)  # the log reaches the client before the stream closes
                return
            # The process lives as long as this stream: block until either side closes it.
            server = phone.server_for(c.sock)
            while server is not None and server.alive:
                try:
                    if not c.sock.recv(1024):
                        break
                except OSError:
                    break
            if server is not None:
                server.kill()
            return
        out = phone.shell(command)
        c.okay()
        if out:
            c.sock.sendall(out)

    def _sync(self, c: _Conn, phone: FakePhone) -> None:
        while True:
            cmd = c.read(4)
            size = struct.unpack("<I", c.read(4))[0]
            if cmd == b"QUIT":
                return
            arg = c.read(size).decode("utf-8", errors="replace")
            if cmd == b"STAT":
                if arg in _DIRS:
                    c.sock.sendall(b"STAT" + struct.pack("<III", stat.S_IFDIR | 0o771, 4096,
                                                           int(time.time())))
                elif arg in phone.files:
                    c.sock.sendall(b"STAT" + struct.pack("<III", stat.S_IFREG | 0o644,
                                                           len(phone.files[arg]),
                                                           int(time.time())))
                else:
                    c.sock.sendall(b"STAT" + struct.pack("<III", 0, 0, 0))
            elif cmd == b"SEND":
                path = arg.rsplit(",", 1)[0]
                data = bytearray()
                while True:
                    kind = c.read(4)
                    n = struct.unpack("<I", c.read(4))[0]
                    if kind == b"DONE":
                        break
                    data += c.read(n)
                phone.files[path] = bytes(data)
                c.sock.sendall(b"OKAY" + struct.pack("<I", 0))
            elif cmd == b"RECV":
                if arg not in phone.files:
                    msg = b"No such file or directory"
                    c.sock.sendall(b"FAIL" + struct.pack("<I", len(msg)) + msg)
                    continue
                data = phone.files[arg]
                for i in range(0, len(data), 64 * 1024):
                    chunk = data[i:i + 64 * 1024]
                    c.sock.sendall(b"DATA" + struct.pack("<I", len(chunk)) + chunk)
                c.sock.sendall(b"DONE" + struct.pack("<I", 0))
            elif cmd == b"LIST":
                prefix = arg.rstrip("/") + "/"
                for path, data in phone.files.items():
                    if path.startswith(prefix) and "/" not in path[len(prefix):]:
                        name = path[len(prefix):].encode()
                        c.sock.sendall(b"DENT" + struct.pack(
                            "<IIII", stat.S_IFREG | 0o644, len(data), int(time.time()),
                            len(name)) + name)
                c.sock.sendall(b"DONE" + struct.pack("<IIII", 0, 0, 0, 0))
            else:
                msg = b"unknown sync command"
                c.sock.sendall(b"FAIL" + struct.pack("<I", len(msg)) + msg)
                return


@contextlib.contextmanager
def serving(*phones: FakePhone) -> Iterator[FakeAdbServer]:
    """Run a FakeAdbServer and point ``ANDROID_ADB_SERVER_PORT`` at it while the block runs."""
    old = os.environ.get("ANDROID_ADB_SERVER_PORT")
    with FakeAdbServer(phones) as server:
        os.environ["ANDROID_ADB_SERVER_PORT"] = str(server.port)
        try:
            yield server
        finally:
            if old is None:
                os.environ.pop("ANDROID_ADB_SERVER_PORT", None)
            else:
                os.environ["ANDROID_ADB_SERVER_PORT"] = old
