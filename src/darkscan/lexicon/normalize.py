"""Text normalisation for matching UI labels against the word lists of this package.

Two forms. :func:`normalize` is the compact matching key of the crawler's phrase lists and the
cancellation patterns; :func:`fold` is the spaced form the detector patterns
(:mod:`darkscan.lexicon.detectors`, :mod:`darkscan.lexicon.promo`) run on.

Labels are compared after :func:`normalize`: NFKC (full-width -> half-width), lower case,
Traditional -> Simplified by OpenCC (Hong Kong variants -> standard, then Taiwan -> mainland
*with phrases*: 設定 -> 设置, 應用程式 -> 应用程序, 解除安裝 -> 卸载, 使用者 -> 用户), whitespace and
punctuation removed; a few regional words OpenCC keeps are folded to the mainland word
(``_REGIONAL``: 個人化, 私隱, 推介, 戶口, 會籍, 自動續期). Phrase conversion runs on Traditional text
only, so a word list's Taiwan / Hong Kong entries are written in Traditional characters (they
convert exactly like the labels do: 個人資料 -> 个人数据); each list item goes through the same
:func:`normalize`, so both sides agree.

Nothing here knows a particular app: these are the words real apps use.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import opencc

# Hong Kong variant characters -> OpenCC standard Traditional (衞 -> 衛), then Taiwan -> mainland
# Simplified with phrase conversion.
_HK2T = opencc.OpenCC("hk2t")
_TW2SP = opencc.OpenCC("tw2sp")
# Character-only conversion, to tell Traditional text from Simplified: the phrase conversion
# runs on Traditional text only (on Simplified text Taiwan's 程序 "process" would turn 应用程序
# into 应用进程).
_T2S_CHARS = opencc.OpenCC("t2s")
# Taiwan phrases whose mainland equivalent in OpenCC would change what a label means to the
# goal matchers: Taiwan 登出 (log out) becomes 注销, the mainland word for closing an account.
_BEFORE = {"登出": "退出登录"}
# Simplified variants folded to one spelling after conversion (OpenCC writes 帳號 as 帐号).
_AFTER = str.maketrans({"帐": "账"})
# Regional words OpenCC keeps (they are not script differences) folded to the mainland word,
# so one list entry serves zh-Hans, Taiwan and Hong Kong: 個人化 / 个性化 (personalised),
# HK 私隱 / 隐私 (privacy), HK 推介 / 推荐 (recommend), HK 戶口 / 账户 (account),
# HK 會籍 / 会员 (membership), HK 自動續期 / 自动续费 (auto-renewal).
_REGIONAL = (("个人化", "个性化"), ("私隐", "隐私"), ("推介", "推荐"), ("户口", "账户"),
             ("会籍", "会员"), ("自动续期", "自动续费"))
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_PUNCT = re.compile(r"[\s\u3000\"'`~!@#$%^&*()\-_=+\[\]{}\\|;:,.<>/?·，。、；：？！…—“”‘’（）【】《》〈〉「」『』＞＜›‹»«→←↑↓>]+")
_DIGITS = re.compile(r"\d+")


def t2s(text: str) -> str:
    """Traditional (Taiwan, Hong Kong) -> Simplified (mainland phrases), via OpenCC."""
    if not _CJK.search(text):
        return text
    hk = _HK2T.convert(text)
    if _T2S_CHARS.convert(hk) != hk:
        for tw, cn in _BEFORE.items():
            hk = hk.replace(tw, cn)
        text = _TW2SP.convert(hk)
    text = text.translate(_AFTER)
    for regional, mainland in _REGIONAL:
        text = text.replace(regional, mainland)
    return text


@lru_cache(maxsize=1 << 16)
def _normalize(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).lower()
    return _PUNCT.sub("", t2s(s))


def normalize(text: str | None) -> str:
    """Canonical form for matching: NFKC, lower case, Simplified, no spaces or punctuation.

    Cached: the crawler and the graph rules normalise the same labels over and over."""
    return _normalize(text) if text else ""


def mask_digits(text: str) -> str:
    """Replace every run of digits by ``#`` (clocks, counters, prices)."""
    return _DIGITS.sub("#", text)


def phrase_set(phrases: Iterable[str]) -> tuple[str, ...]:
    """Normalise a word list once; drops empties and duplicates, keeps order."""
    out: list[str] = []
    for p in phrases:
        n = normalize(p)
        if n and n not in out:
            out.append(n)
    return tuple(out)


def fold(text: str) -> str:
    """Spaced form for the detector patterns: NFKC (full-width ASCII and ￥ become ASCII/¥),
    lower case, curly quotes straightened, whitespace collapsed (OCR drops or inserts spaces,
    so patterns allow ``\\s*``)."""
    t = unicodedata.normalize("NFKC", text)
    t = t.replace("’", "'").replace("‘", "'").replace("＇", "'").replace("`", "'")
    t = t.replace("“", '"').replace("”", '"').replace("￥", "¥")
    return " ".join(t.lower().split())
