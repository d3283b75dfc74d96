"""The uiautomator2 server's HTTP/JSON-RPC API (device port 9008), answered from a FakePhone.

The client reaches it through adb (``tcp:9008`` inside a transport), one HTTP request per
connection: ``GET /ping`` → ``pong``, ``POST /jsonrpc/0`` with ``{"method", "params"}``.
Errors use the server's JSON-RPC error shape, so the client's own error mapping runs.
"""

from __future__ import annotations

import base64
import io
import json
import socket
import time
from typing import Any

import numpy as np
from PIL import Image

from darkscan.device.adb_fake.phone import FakePhone

_NOT_CONNECTED = {
    "code": -32001,
    "message": "java.lang.IllegalStateException: UiAutomation not connected, "
               "UiAutomation@2a4c8e1[id=-1, flags=0]",
    "data": "java.lang.IllegalStateException: UiAutomation not connected\n"
            "\tat android.app.UiAutomation.throwIfNotConnectedLocked(UiAutomation.java:1507)",
}
_EMPTY_DUMP = "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\r\n<hierarchy rotation=\"0\" />"
_UI_METHODS = {"dumpWindowHierarchy", "click", "swipe", "pressKey", "pressKeyCode", "setText",
               "waitForExists", "takeScreenshot"}


def _read_request(conn: socket.socket) -> tuple[str, str, bytes] | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = (lines[0].split(" ", 2) + ["", ""])[:3]
    length = 0
    for line in lines[1:]:
        k, _, v = line.partition(":")
        if k.strip().lower() == "content-length":
            length = int(v.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        body += chunk
    return method, path, body[:length]


def _respond(conn: socket.socket, status: str, body: bytes, ctype: str) -> None:
    head = (f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n").encode()
    conn.sendall(head + body)


def serve_http(phone: FakePhone, conn: socket.socket) -> None:
    """Answer one HTTP request on ``conn`` (an adb ``tcp:9008`` stream)."""
    req = _read_request(conn)
    if req is None:
        return
    method, path, body = req
    if method == "GET" and path == "/ping":
        _respond(conn, "200 OK", b"pong", "text/plain")
        return
    if method == "POST" and path.startswith("/jsonrpc/0"):
        try:
            payload = json.loads(body or b"{}")
        except ValueError:
            _respond(conn, "400 Bad Request", b"bad json", "text/plain")
            return
        answer = JsonRpc(phone).call(payload.get("method", ""), payload.get("params") or [])
        answer["jsonrpc"] = "2.0"
        answer["id"] = payload.get("id", 1)
        _respond(conn, "200 OK", json.dumps(answer).encode(), "application/json")
        return
    _respond(conn, "404 Not Found", b"not found", "text/plain")


class JsonRpc:
    """The handful of AutomatorService methods the uiautomator2 client and darkscan use."""

    def __init__(self, phone: FakePhone) -> None:
        self.phone = phone
        self.device = phone.device

    def call(self, method: str, params: Any) -> dict[str, Any]:
        phone = self.phone
        phone.count_rpc(method)
        if phone.faults.uiautomation_lost:
            return {"error": _NOT_CONNECTED}
        fn = getattr(self, "rpc_" + method, None)
        if fn is None:
            return {"error": {"code": -32601, "message": f"Method not found: {method}"}}
        if method in _UI_METHODS and phone.faults.busy_ui:
            # UiDevice.waitForIdle() gives up after waitForIdleTimeout on a never-idle UI.
            time.sleep(phone.configurator["waitForIdleTimeout"] / 1000)
        args = params if isinstance(params, list) else [params]
        with phone.lock:
            return {"result": fn(*args)}

    # -- methods ----------------------------------------------------------------------------
    def rpc_deviceInfo(self) -> dict[str, Any]:
        w, h = self.device.window_size()
        dens = self.device.density()
        return {
            "currentPackageName": self.device.app_current().package,
            "displayHeight": h, "displayWidth": w, "displayRotation": 0,
            "displaySizeDpX": round(w / dens), "displaySizeDpY": round(h / dens),
            "naturalOrientation": True, "productName": "darkscan_virtual",
            "screenOn": True, "sdkInt": self.phone.sdk,
        }

    def rpc_windowSize(self) -> list[int]:
        return list(self.device.window_size())

    def rpc_dumpWindowHierarchy(self, compressed: bool = False, max_depth: int = 50,
                                *_: Any) -> str:
        if self.phone.faults.empty_dumps > 0:
            self.phone.faults.empty_dumps -= 1
            return _EMPTY_DUMP
        return self.device.dump_hierarchy()

    def rpc_takeScreenshot(self, scale: float = 1, quality: int = 80) -> str | None:
        img = np.asarray(self.device.screenshot(), dtype=np.uint8)
        if self.phone.faults.null_screenshots and not img.any():
            return None  # a FLAG_SECURE window: the server's bitmap comes back null
        pil = Image.fromarray(img)
        if scale and scale != 1:
            pil = pil.resize((max(1, int(pil.width * scale)), max(1, int(pil.height * scale))))
        buf = io.BytesIO()
        pil.save(buf, "JPEG", quality=int(quality))
        return base64.b64encode(buf.getvalue()).decode()

    def rpc_click(self, x: int, y: int, *_: Any) -> bool:
        self.device.tap(int(x), int(y))
        return True

    def rpc_pressKey(self, key: str) -> bool:
        key = str(key).lower()
        if key == "back":
            self.device.back()
        elif key == "home":
            self.device.home()
        else:
            return False
        return True

    def rpc_pressKeyCode(self, code: int, *_: Any) -> bool:
        return self.rpc_pressKey({3: "home", 4: "back"}.get(int(code), str(code)))

    def rpc_swipe(self, fx: int, fy: int, tx: int, ty: int, steps: int = 10) -> bool:
        self.device.swipe(int(fx), int(fy), int(tx), int(ty), max(int(steps), 1) * 0.005)
        return True

    def rpc_setConfigurator(self, info: dict[str, Any]) -> dict[str, int]:
        for k, v in (info or {}).items():
            if k in self.phone.configurator:
                self.phone.configurator[k] = int(v)
        return dict(self.phone.configurator)

    def rpc_getConfigurator(self) -> dict[str, int]:
        return dict(self.phone.configurator)

    def rpc_waitForIdle(self, timeout: int = 0) -> bool:
        return True

    def rpc_setClipboard(self, label: str | None, text: str) -> None:
        self.phone.clipboard = text

    def rpc_getClipboard(self) -> str:
        return self.phone.clipboard

    def rpc_waitForExists(self, selector: dict[str, Any], timeout: int = 0) -> bool:
        return bool(selector.get("focused"))  # only the focused-field selector is supported

    def rpc_setText(self, selector: dict[str, Any], text: str) -> bool:
        if not selector.get("focused"):
            return False
        self.device.send_text(text)
        return True
