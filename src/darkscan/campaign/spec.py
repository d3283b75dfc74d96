"""The campaign file (docs/campaigns.md): which apps, shared gate thresholds, where runs go.

    name: bundled apps
    out: ../runs/bundled          # campaign folder (relative to this file); --out overrides
    lang: en                      # report language
    gate: {max_cancel_steps: 4, fail_on: high}    # shared thresholds, the keys of a flow's gate:
    apps:
      - flow: ../flows/kanju_zh.yaml              # any flow file (virtual app or phone package)
      - app: ../src/darkscan/apps/fitpro_en.yaml  # a virtual app with the default flow
      - package: com.example.shop                 # a phone app: crawled on whichever phone is free
        name: shop                                # optional; default from the flow / app / package

Every mistake is one :class:`CampaignError` line naming the file, the key and the problem,
found before anything is crawled (each flow is loaded and validated too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from darkscan.errors import FlowError

KINDS = ("flow", "app", "package")
APP_KEYS = frozenset({*KINDS, "name", "max_steps", "max_minutes"})
TOP_KEYS = frozenset({"name", "out", "lang", "gate", "apps"})


class CampaignError(FlowError):
    """A campaign file is invalid: ``FILE: KEY: problem`` (exit code 2)."""


@dataclass(frozen=True)
class AppEntry:
    """One app of a campaign; ``source`` is a flow file, a virtual app file or a package."""

    name: str
    kind: str                   # flow | app | package
    source: str                 # path (flow, app) or package name
    device: bool                # crawled on a phone (needs a device resource)
    max_steps: int | None = None
    max_minutes: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "source": self.source,
                "device": self.device, "max_steps": self.max_steps,
                "max_minutes": self.max_minutes}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> AppEntry:
        return cls(**d)


@dataclass(frozen=True)
class Campaign:
    path: Path
    name: str
    apps: tuple[AppEntry, ...]
    gate: dict[str, Any] = field(default_factory=dict)
    lang: str = "en"
    out: Path | None = None


_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _safe(name: str) -> str:
    return _SAFE.sub("-", name).strip("-.") or "app"


def load_campaign(path: str | Path) -> Campaign:
    """Read and validate a campaign file (flows included)."""
    from darkscan.crawl.flow import load_flow, read_flow_yaml
    from darkscan.report.gate import resolve_thresholds
    from darkscan.report.i18n import normalise_lang

    p = Path(path)
    src = str(p)
    try:
        data = read_flow_yaml(p)
    except FlowError as e:
        raise CampaignError(src, e.key, e.problem.replace("flow file", "campaign file")) from None
    unknown = sorted(set(map(str, data)) - TOP_KEYS)
    if unknown:
        raise CampaignError(src, unknown[0], f"unknown key; known: {', '.join(sorted(TOP_KEYS))}")
    base = p.resolve().parent
    name = data.get("name", p.stem)
    if not isinstance(name, str) or not name.strip():
        raise CampaignError(src, "name", "expected a non-empty text")
    lang = data.get("lang", "en")
    try:
        lang = normalise_lang(str(lang))
    except Exception as e:  # noqa: BLE001 - any refusal is the user's value
        raise CampaignError(src, "lang", getattr(e, "message", str(e))) from None
    gate = data.get("gate") or {}
    if not isinstance(gate, dict):
        raise CampaignError(src, "gate", "expected a mapping of thresholds")
    try:
        resolve_thresholds(None, None).merged(gate, source=src)
    except FlowError as e:
        raise CampaignError(src, e.key, e.problem) from None
    out = data.get("out")
    if out is not None and (not isinstance(out, str) or not out.strip()):
        raise CampaignError(src, "out", "expected a folder path")
    apps_raw = data.get("apps")
    if not isinstance(apps_raw, list) or not apps_raw:
        raise CampaignError(src, "apps", "expected a non-empty list of apps")
    apps: list[AppEntry] = []
    seen: set[str] = set()
    for i, raw in enumerate(apps_raw):
        key = f"apps[{i}]"
        if not isinstance(raw, dict):
            raise CampaignError(src, key, "expected a mapping with flow:, app: or package:")
        bad = sorted(set(map(str, raw)) - APP_KEYS)
        if bad:
            raise CampaignError(src, f"{key}.{bad[0]}",
                                f"unknown key; known: {', '.join(sorted(APP_KEYS))}")
        kinds = [k for k in KINDS if k in raw]
        if len(kinds) != 1:
            raise CampaignError(src, key, "give exactly one of flow:, app:, package:")
        kind = kinds[0]
        value = raw[kind]
        if not isinstance(value, str) or not value.strip():
            raise CampaignError(src, f"{key}.{kind}", "expected a text")
        limits: dict[str, Any] = {}
        for lk, typ in (("max_steps", int), ("max_minutes", float)):
            if lk in raw:
                v = raw[lk]
                if isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0 or \
                        (typ is int and not isinstance(v, int)):
                    raise CampaignError(src, f"{key}.{lk}", f"expected a positive number, got {v!r}")
                limits[lk] = typ(v)
        if kind == "package":
            source, device, default = value.strip(), True, value.strip().rsplit(".", 1)[-1]
        else:
            f = (base / value).resolve() if not Path(value).is_absolute() else Path(value)
            if not f.is_file():
                raise CampaignError(src, f"{key}.{kind}", f"file not found: {value}")
            source = str(f)
            if kind == "flow":
                flow = load_flow(f)   # FlowError names the flow file itself
                device, default = not flow.target.virtual, flow.name
            else:
                from darkscan.device.virtual import load_app

                load_app(f)
                device, default = False, f.stem
        entry_name = raw.get("name", default)
        if not isinstance(entry_name, str) or not entry_name.strip():
            raise CampaignError(src, f"{key}.name", "expected a non-empty text")
        safe = _safe(entry_name)
        if safe in seen:
            raise CampaignError(src, f"{key}.name", f"two apps are named {safe!r}; add name:")
        seen.add(safe)
        apps.append(AppEntry(safe, kind, source, device, **limits))
    return Campaign(p.resolve(), name.strip(), tuple(apps), dict(gate), lang,
                    (base / out) if out else None)

