"""The finding: what every detector, per-screen or graph-level, produces."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Mapping, Sequence

from darkscan.errors import RunFolderError
from darkscan.geometry import Box


class Severity(str, Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"high": 3, "medium": 2, "low": 1, "info": 0}[self.value]

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


class Category(str, Enum):
    # per-screen
    HIDDEN_AUTO_RENEWAL = "hidden_auto_renewal"
    PRESELECTION = "preselection"
    AD_CLOSE_OBSTRUCTION = "ad_close_obstruction"
    FALSE_HIERARCHY = "false_hierarchy"
    CONFIRMSHAMING = "confirmshaming"
    NAGGING = "nagging"
    DISGUISED_AD = "disguised_ad"
    # graph-level
    BURIED_CANCELLATION = "buried_cancellation"
    MISSING_RECOMMENDATION_OFF = "missing_recommendation_off"
    HARD_ACCOUNT_DELETION = "hard_account_deletion"
    HARD_UNINSTALL = "hard_uninstall"
    PRIVACY_POLICY_DEPTH = "privacy_policy_depth"
    MISSING_CUSTOMER_SERVICE = "missing_customer_service"


SCREEN_CATEGORIES = tuple(c for c in Category)[:7]
GRAPH_CATEGORIES = tuple(c for c in Category)[7:]


@dataclass(frozen=True)
class Finding:
    """One dark pattern on one screen (or on a path, for graph rules).

    ``bbox`` is in pixels of the screenshot it was found on; ``evidence`` holds the measured
    numbers (JSON-serialisable); ``regulations`` holds keys of ``darkscan.detect.regulations``.
    """

    category: Category
    rule: str
    severity: Severity
    bbox: Box
    message: str
    evidence: Mapping[str, Any] = field(default_factory=dict)
    regulations: tuple[str, ...] = ()
    screen: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "category": self.category.value,
            "rule": self.rule,
            "severity": self.severity.value,
            "bbox": self.bbox.as_list(),
            "message": self.message,
            "evidence": dict(self.evidence),
            "regulations": list(self.regulations),
        }
        if self.screen is not None:
            d["screen"] = self.screen
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Finding:
        return cls(
            category=Category(d["category"]),
            rule=str(d["rule"]),
            severity=Severity(d["severity"]),
            bbox=Box(*[int(v) for v in d["bbox"]]),
            message=str(d["message"]),
            evidence=dict(d.get("evidence", {})),
            regulations=tuple(d.get("regulations", ())),
            screen=d.get("screen"),
        )


def parse_findings(items: Sequence[Any], path: Path) -> tuple[Finding, ...]:
    """The findings of a findings.json ``findings`` list; one error line naming ``path`` and
    the first bad finding."""
    out: list[Finding] = []
    for i, item in enumerate(items):
        try:
            out.append(Finding.from_dict(item))
        except KeyError as e:
            raise RunFolderError(f"{path}: finding #{i + 1} has no {e}") from None
        except (ValueError, TypeError, AttributeError) as e:
            raise RunFolderError(f"{path}: finding #{i + 1} is invalid: {e}") from None
    return tuple(out)
