"""Playwright helpers: Debian's Chromium, headless, and a page that records what went wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.is_file(), reason="Debian chromium missing at /usr/bin/chromium (CI installs it)")


class Page:
    """A page that records console errors, script errors, dialogs and any non-file request."""

    def __init__(self, browser: Any, index: Path) -> None:
        self.errors: list[str] = []
        self.network: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("request", lambda r: not r.url.startswith(("file:", "data:"))
                     and self.network.append(r.url))
        self.page.goto(index.as_uri())
        self.page.wait_for_load_state("load")

    def close(self) -> None:
        self.page.close()
