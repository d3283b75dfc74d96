"""Line breaking shared by layout and rendering (so text boxes and drawn text agree)."""

from __future__ import annotations

import re
from functools import lru_cache

from darkscan.device.virtual.fonts import font

_TOKEN = re.compile(r"[A-Za-z0-9_@#%&*+=/\\.,:;!?'\"()\[\]{}<>$€£¥-]+|\s+|.", re.DOTALL)
_NO_LINE_START = set("，。、；：？！）」』》】,.;:?!)%")
# Line and paragraph breaks (what str.splitlines breaks on). App text may hold any of them
# (U+2028/U+2029 from pasted web text); the shaper lays out one line and fails on them.
_BREAKS = re.compile("\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_NOT_IN_A_LINE = re.compile("[\t\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")


def one_line(text: str) -> str:
    """``text`` as one drawable line: breaks and tabs become spaces."""
    return _NOT_IN_A_LINE.sub(" ", text)


def line_height(size_px: int) -> int:
    ascent, descent = font(size_px).getmetrics()
    return ascent + descent


@lru_cache(maxsize=8192)
def text_width(text: str, size_px: int, bold: bool = False) -> int:
    return int(round(font(size_px, bold).getlength(one_line(text))))


@lru_cache(maxsize=4096)
def wrap(text: str, size_px: int, bold: bool, max_width: int) -> tuple[str, ...]:
    """Greedy wrap: Latin words stay whole, CJK breaks anywhere (not before closing punctuation)."""
    out: list[str] = []
    for para in _BREAKS.split(text):
        line = ""
        for tok in _TOKEN.findall(para):
            cand = line + tok
            if not line or text_width(cand, size_px, bold) <= max_width:
                line = cand
                continue
            if tok.isspace():
                out.append(line.rstrip())
                line = ""
                continue
            if tok in _NO_LINE_START and len(line) > 1:
                out.append(line[:-1])
                line = line[-1] + tok
                continue
            if text_width(tok, size_px, bold) > max_width:  # a very long word: break by chars
                for ch in tok:
                    if line and text_width(line + ch, size_px, bold) > max_width:
                        out.append(line)
                        line = ""
                    line += ch
                continue
            out.append(line.rstrip())
            line = tok
        out.append(line.rstrip())
    return tuple(out)


def ellipsize(text: str, size_px: int, bold: bool, max_width: int) -> str:
    """One line, cut with an ellipsis if it does not fit."""
    text = one_line(text)
    if text_width(text, size_px, bold) <= max_width:
        return text
    while text and text_width(text + "…", size_px, bold) > max_width:
        text = text[:-1]
    return text + "…"
