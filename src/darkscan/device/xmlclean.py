"""Make uiautomator XML from real phones parseable without changing well-formed content.

Phones emit raw control characters (from app text) and, through KXmlSerializer, emoji as two
character references to UTF-16 surrogates (``&#55357;&#56832;``), or half of such a pair when
the text was cut. XML 1.0 forbids all of these, so expat rejects the whole dump.
"""

from __future__ import annotations

import re

__all__ = ["sanitize_xml"]

# Characters XML 1.0 forbids, raw in the text (surrogates only exist in a str decoded leniently).
_BAD_CHARS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Numeric character references; a surrogate pair may be written as two references (KXmlSerializer).
_CHAR_REF_RE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def _allowed(cp: int) -> bool:
    return (
        cp in (0x9, 0xA, 0xD)
        or 0x20 <= cp <= 0xD7FF
        or 0xE000 <= cp <= 0xFFFD
        or 0x10000 <= cp <= 0x10FFFF
    )


def _fix_char_refs(xml: str) -> str:
    """Join surrogate-pair references, drop references to characters XML forbids."""
    if "&#" not in xml:
        return xml
    out: list[str] = []
    pos = 0
    pending_high: int | None = None  # a high surrogate waiting for its low half
    pending_end = 0
    for m in _CHAR_REF_RE.finditer(xml):
        cp = int(m.group(1), 16) if m.group(1) is not None else int(m.group(2))
        if pending_high is not None:
            if m.start() == pending_end and 0xDC00 <= cp <= 0xDFFF:
                joined = 0x10000 + ((pending_high - 0xD800) << 10) + (cp - 0xDC00)
                out.append(f"&#{joined};")
                pos = m.end()
                pending_high = None
                continue
            pending_high = None  # lone high surrogate: already dropped
        out.append(xml[pos:m.start()])
        pos = m.end()
        if 0xD800 <= cp <= 0xDBFF:
            pending_high, pending_end = cp, m.end()
        elif _allowed(cp):
            out.append(m.group(0))
        # else: a lone low surrogate or a forbidden control character; dropped
    out.append(xml[pos:])
    return "".join(out)


def sanitize_xml(xml: str | bytes) -> str:
    """Make a device dump parseable without changing any well-formed content.

    Bytes are decoded as UTF-8 (undecodable bytes become U+FFFD); raw control characters and
    lone surrogates are removed; character references to them are dropped, and a surrogate
    pair written as two references becomes the one character it encodes.
    """
    if isinstance(xml, (bytes, bytearray, memoryview)):
        text = bytes(xml).decode("utf-8", errors="replace")
    else:
        text = xml
    text = _BAD_CHARS_RE.sub("", text)
    return _fix_char_refs(text)
