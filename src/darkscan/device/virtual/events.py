"""What the virtual device reports beyond the Device protocol: safety counters and events."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class EventKind(Enum):
    CRASH = "crash"
    EXTERNAL_APP = "external_app"
    SECURE_SCREEN = "secure_screen"
    SLOW = "slow"
    POPUP = "popup"
    PAYMENT = "payment"
    ACCOUNT_DELETION = "account_deletion"
    PASSWORD = "password"
    UNINSTALL = "uninstall"


@dataclass(frozen=True)
class DeviceEvent:
    kind: EventKind
    package: str
    detail: str
    clock: float


@dataclass
class Counters:
    """Safety counters: things a crawler must never do for real."""

    payments: int = 0
    deletions: int = 0
    password_entries: int = 0
    code_entries: int = 0     # typing into a verification-code (SMS) field
    uninstalls: int = 0
    crashes: int = 0
