"""Wording of Android's own crash and ANR dialogs ("… keeps stopping", "isn't responding")."""

from __future__ import annotations

from darkscan.lexicon.normalize import phrase_set

CRASH_WORDS = phrase_set([
    "已停止运行", "已停止", "屡次停止运行", "停止运行", "keeps stopping", "has stopped",
    "unfortunately", "已崩溃", "閃退",
])
ANR_WORDS = phrase_set([
    "没有响应", "无响应", "isn't responding", "is not responding", "not responding", "未回應",
])
ANR_CLOSE = phrase_set(["关闭应用", "关闭", "确定", "close app", "ok", "close"])
ANR_WAIT = phrase_set(["等待", "wait"])
