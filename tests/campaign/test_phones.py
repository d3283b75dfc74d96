"""Which phone a campaign's device crawl takes: a ready, unclaimed phone of its own node, found
through a real adb server (the fake one: real adb protocol); it waits while none is free."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from darkscan.campaign.phones import claim_phone
from darkscan.device.adb_fake import FakeAdbServer, FakePhone
from darkscan.device.virtual import VirtualDevice, load_app
from darkscan.errors import DeviceError

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "tests" / "apps" / "cancel_phone.yaml"


@pytest.fixture
def phones(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[FakePhone]]:
    ps = [FakePhone(VirtualDevice([load_app(APP)], serial=f"phone-{i}")) for i in (1, 2)]
    with FakeAdbServer(ps) as server:
        monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(server.port))
        monkeypatch.delenv("DARKSCAN_SERIALS", raising=False)
        yield ps


def test_two_crawls_never_share_a_phone(phones: list[FakePhone], tmp_path: Path) -> None:
    with claim_phone(tmp_path, wait=0) as a, claim_phone(tmp_path, wait=0) as b:
        assert {a, b} == {"phone-1", "phone-2"}
        with pytest.raises(DeviceError, match="no free phone"):
            with claim_phone(tmp_path, wait=0):
                pass
    with claim_phone(tmp_path, wait=0) as again:       # released at the end of the block
        assert again == "phone-1"


def test_an_unplugged_or_unlisted_phone_is_not_taken(phones: list[FakePhone], tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    phones[0].unplug()
    with claim_phone(tmp_path, wait=0) as serial:
        assert serial == "phone-2"
    phones[0].plug()
    monkeypatch.setenv("DARKSCAN_SERIALS", "phone-2")  # this node owns phone-2 only
    with claim_phone(tmp_path, wait=0) as serial:
        assert serial == "phone-2"
        with pytest.raises(DeviceError, match="phones: phone-2"):
            with claim_phone(tmp_path, wait=0):
                pass


def test_waits_for_a_phone_to_come_back(phones: list[FakePhone], tmp_path: Path) -> None:
    for p in phones:
        p.unplug()
    threading.Timer(1.5, phones[1].plug).start()
    t0 = time.monotonic()
    with claim_phone(tmp_path, wait=30) as serial:
        assert serial == "phone-2" and time.monotonic() - t0 >= 1.4
