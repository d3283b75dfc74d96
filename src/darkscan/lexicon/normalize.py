"""Text normalisation for matching UI labels against the word lists of this package.

Two forms. :func:`normalize` is the compact matching key of the crawler's phrase lists and the
cancellation patterns; :func:`fold` is the spaced form the detector patterns
(:mod:`darkscan.lexicon.detectors`, :mod:`darkscan.lexicon.promo`) run on.

Labels are compared after :func:`normalize`: NFKC (full-width -> half-width), lower case,
Traditional -> Simplified for the characters that occur in account / subscription / settings
vocabulary, whitespace and punctuation removed. Lexicons are therefore written once in
Simplified Chinese and English, plus the few Taiwan / Hong Kong words that differ beyond
characters (設定, 應用程式, 個人化, 隱私權, 解除安裝...).

Nothing here knows a particular app: these are the words real apps use.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable

# Traditional -> Simplified for characters of the vocabulary below (one char each side).
_T2S_PAIRS = (
    "帳账 號号 註注 銷销 設设 隱隐 權权 訂订 閱阅 續续 費费 關关 閉闭 個个 薦荐 熱热 線线 訴诉 "
    "會会 員员 刪删 確确 認认 買买 購购 開开 動动 戶户 應应 載载 協协 議议 條条 聯联 繫系 係系 "
    "絡络 們们 說说 幫帮 與与 饋馈 見见 電电 話话 務务 單单 選选 項项 廣广 資资 體体 驗验 試试 "
    "價价 錢钱 額额 據据 數数 儲储 碼码 機机 於于 則则 產产 級级 據据 隻只 這这 裡里 裏里 麼么 "
    "為为 從从 後后 個个 讓让 將将 對对 覽览 請请 閱阅 讀读 須须 知知 發发 現现 無无 復复 終终 "
    "歷历 紀纪 錄录 鐘钟 時时 間间 頁页 點点 擊击 區区 專专 屬属 權权 詢询 問问 題题 處处 辦办 "
    "護护 統统 網网 絡络 庫库 車车 貨货 優优 惠惠 領领 紅红 獎奖 勵励 邀邀 讚赞 評评 論论 壓压 "
    "標标 簽签 態态 務务 備备 準准 證证 舉举 報报 鎖锁 減减 總总 計计 劃划 結结 帶带 盡尽 "
    "贈赠 啟启 記记 憶忆 別别 樣样 賬账 號号 戲戏 劇剧 視视 頻频 畫画 聲声 響响 語语 言言 "
    "轉转 換换 漢汉 夠够 確确 績绩 繼继 續续 虛虚 擬拟 權权 屬属 鈕钮 鍵键 適适 離离 歸归 "
    "斷断 衝冲 遞递 郵邮 傳传 營营 運运 顯显 隨随 礙碍 臨临 滿满 罰罚 種种 類类 參参 閒闲 裝装 麼么"
)
_T2S = {p[0]: p[1] for p in _T2S_PAIRS.split()}
_T2S_TABLE = str.maketrans(_T2S)

_PUNCT = re.compile(r"[\s\u3000\"'`~!@#$%^&*()\-_=+\[\]{}\\|;:,.<>/?·，。、；：？！…—“”‘’（）【】《》〈〉「」『』＞＜›‹»«→←↑↓>]+")
_DIGITS = re.compile(r"\d+")


def t2s(text: str) -> str:
    """Map the Traditional characters darkscan's vocabulary uses to Simplified."""
    return text.translate(_T2S_TABLE)


def normalize(text: str | None) -> str:
    """Canonical form for matching: NFKC, lower case, Simplified, no spaces or punctuation."""
    if not text:
        return ""
    s = unicodedata.normalize("NFKC", text).lower()
    s = t2s(s)
    return _PUNCT.sub("", s)


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
