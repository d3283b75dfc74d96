"""A finding's evidence numbers in plain words ("Contrast: 2.1:1", "Steps: 6")."""

from __future__ import annotations

from typing import Any, Mapping

from darkscan.report.i18n import Translator

# Known evidence keys: (English label, Chinese label). Unknown keys are humanised.
_LABELS: dict[str, tuple[str, str]] = {
    "steps": ("Steps", "步数"),
    "cancel_steps": ("Steps to cancel", "取消所需步数"),
    "subscribe_steps": ("Steps to subscribe", "开通所需步数"),
    "max_steps": ("Allowed steps", "允许的步数"),
    "limit": ("Limit", "阈值"),
    "threshold": ("Threshold", "阈值"),
    "depth": ("Depth (taps from the main screen)", "深度（从首页起的点击次数）"),
    "contrast": ("Text contrast", "文字对比度"),
    "min_contrast": ("Required contrast", "要求的对比度"),
    "text_height_px": ("Text height", "文字高度"),
    "body_text_height_px": ("Surrounding text height", "周围文字高度"),
    "size_ratio": ("Size compared with surrounding text", "与周围文字的大小比"),
    "area_ratio": ("Area compared with the main button", "与主按钮的面积比"),
    "checked": ("Ticked by default", "默认已勾选"),
    "text": ("Text", "文字"),
    "texts": ("Texts", "文字"),
    "keywords": ("Keywords matched", "匹配的关键词"),
    "times": ("Times shown", "出现次数"),
    "count": ("Count", "数量"),
    "target_dp": ("Touch target size", "点击区域大小"),
    "width_dp": ("Width", "宽度"),
    "height_dp": ("Height", "高度"),
    "ratio": ("Ratio", "比例"),
    "path": ("Path", "路径"),
    "reason": ("Reason", "原因"),
    "excess": ("Steps over the limit", "超出阈值的步数"),
    "subscribe_depth": ("Steps to subscribe", "开通所需步数"),
    "subscribe_path": ("Subscribe path", "开通路径"),
    "total_taps": ("Taps in total", "总点击次数"),
    "screens_explored": ("Screens explored", "已遍历界面数"),
    "exploration": ("Exploration", "遍历情况"),
    "control": ("Control", "控件"),
    "cta": ("Call to action", "主按钮"),
    "prominence_ratio": ("Prominence compared with the alternative", "与另一选项的醒目程度比"),
    "min_relative_size": ("Required relative size", "要求的相对大小"),
    "marker_relative_size": ("Relative size", "相对大小"),
    "marker_contrast": ("Contrast", "对比度"),
    "min_target_dp": ("Required touch target", "要求的点击区域"),
    "near_cta_dp": ("Distance from the main button", "与主按钮的距离"),
}

_MAX_ITEMS = 8


def _label(key: str, zh: bool) -> str:
    if key in _LABELS:
        return _LABELS[key][1 if zh else 0]
    words = key.replace("-", "_").split("_")
    unit_free = [w for w in words if w not in ("px", "dp", "pct", "percent")]
    text = " ".join(unit_free) or key
    return text[:1].upper() + text[1:]


def _number(value: float) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _value(key: str, value: Any, t: Translator) -> str:
    zh = t.lang == "zh-Hans"
    if isinstance(value, bool):
        return t("yes") if value else t("no")
    if isinstance(value, (int, float)):
        n = _number(value)
        if key.endswith("_px"):
            return f"{n} px"
        if key.endswith("_dp"):
            return f"{n} dp"
        if key.endswith(("_pct", "_percent")):
            return f"{n}%"
        if "contrast" in key:
            return f"{n}:1"
        if key.endswith("ratio"):
            return f"{n}×"
        if key in ("steps", "depth", "excess", "total_taps") or key.endswith(("_steps", "_depth")):
            return f"{n} 步" if zh else f"{n} step{'s' if n != '1' else ''}"
        return n
    if isinstance(value, (list, tuple)) and value and all(
            isinstance(v, Mapping) and "action" in v for v in value):  # a path of steps
        return " → ".join(str(v.get("action")) for v in value)
    if isinstance(value, (list, tuple)):
        items = [_value(key, v, t) for v in value[:_MAX_ITEMS]]
        more = f" (+{len(value) - _MAX_ITEMS})" if len(value) > _MAX_ITEMS else ""
        return (" → " if key == "path" else ", ").join(items) + more
    if isinstance(value, Mapping):
        return "; ".join(f"{_label(str(k), zh)}: {_value(str(k), v, t)}"
                         for k, v in list(value.items())[:_MAX_ITEMS])
    if value is None:
        return "—"
    return str(value)


def plain(key: str, value: Any, t: Translator) -> tuple[str, str]:
    """(label, value) in words for one measured number, e.g. ("Text contrast", "2.1:1")."""
    return _label(key, t.lang == "zh-Hans"), _value(key, value, t)


def describe_evidence(evidence: Mapping[str, Any], t: Translator) -> tuple[str, ...]:
    """One plain sentence per evidence entry, in the report language."""
    zh = t.lang == "zh-Hans"
    sep = "：" if zh else ": "
    return tuple(f"{_label(str(k), zh)}{sep}{_value(str(k), v, t)}" for k, v in evidence.items())
