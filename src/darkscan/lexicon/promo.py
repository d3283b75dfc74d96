"""Words for interrupting prompts (nagging) and for advertising (disguised ads).

zh-Hans, zh-Hant and English, written from how apps phrase these prompts in general (rating
prompts, membership upsells, notification opt-ins, app-install ads), not from any one app.
Patterns run on :func:`darkscan.lexicon.normalize.fold`-ed text (NFKC, lower case).
"""

from __future__ import annotations

import re
from enum import Enum

from darkscan.lexicon.normalize import fold


class Cue(str, Enum):
    RATE = "rate"                # asks for a rating / review
    UPGRADE = "upgrade"          # asks to buy / subscribe / become a member
    NOTIFY = "notify"            # asks to turn notifications / push on
    INSTALL = "install"          # asks to install / download another app
    STORE = "store"              # app-store furniture: Google Play, ratings, download counts
    POSTPONE = "postpone"        # a "later" that promises to ask again
    DISMISS = "dismiss"          # any way out: no thanks, close, cancel, ✕
    AD_MARKER = "ad_marker"      # the word "ad" / 广告 / Sponsored as a label
    AD_FREE = "ad_free"          # talks about removing ads (an upsell, not an ad)
    REQUEST = "request"          # phrased as a request: a question, "please", "turn on", 去…
    TERMINATE = "terminate"      # ends or undoes something: cancel, unsubscribe, delete, sign out
    CONFIRM = "confirm"          # a confirming answer: 确认…, 确定, Yes, Confirm
    PRIVACY = "privacy"          # privacy policy / personal information (a consent request)


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts), re.IGNORECASE)


PATTERNS: dict[Cue, re.Pattern[str]] = {
    Cue.RATE: _rx(
        r"评分|評分|打分|好评|好評|五星|5\s*星|评价|評價|点评|點評|鼓励|鼓勵|给个赞|給個讚|点个赞|點個讚",
        r"喜欢.{0,12}吗|喜歡.{0,12}嗎|觉得.{0,10}怎么样|覺得.{0,10}怎麼樣|满意吗|滿意嗎",
        r"\brate\b|\brating\b|\breview\b|\bstars?\b|\d\s*\*|★",
        r"enjoy(?:ing)?\b.{0,30}\?|do\s+you\s+(?:like|love|enjoy)|love\s+(?:using|this\s+app)",
        r"give\s+us\s+(?:a\s+|some\s+|\d|five)|leave\s+(?:us\s+)?a\s+(?:review|rating)",
    ),
    Cue.UPGRADE: _rx(
        r"开通|開通|会员|會員|\bvip\b|\bsvip\b|升级|升級|限时|限時|特惠|优惠|優惠|折扣|立减|立減",
        r"免费试用|免費試用|试用|試用|领取|領取|续费|續費|订阅|訂閱",
        r"upgrade|premium|\bpro\b|\bplus\b|subscribe|subscription|free\s+trial|\btrial\b",
        r"\d+\s*(?:days?|weeks?|months?)\s+free|special\s+offer|limited[\s-]+time|\d+\s*%\s*off",
        r"unlock\b|go\s+ad[\s-]*free|remove\s+ads",
    ),
    Cue.NOTIFY: _rx(
        r"推送|通知|推播|消息提醒|提醒我|订阅提醒|訂閱提醒|不错过|不錯過|第一时间|第一時間",
        r"notif(?:y|ication)|\bpush\b(?![-\s]*ups?\b)|\balerts?\b|stay\s+(?:updated|informed|in\s+the\s+loop)",
        r"don'?t\s+miss|be\s+the\s+first\s+to\s+know|keep\s+(?:you|me)\s+(?:posted|updated)",
    ),
    Cue.INSTALL: _rx(
        r"(?:立即|马上|馬上|免费|免費|去|点击|點擊|一键|一鍵)(?:下载|下載|安装|安裝)",
        r"^(?:下载|下載|安装|安裝|获取|獲取)$",
        r"(?:下载|下載|安装|安裝)(?:app|应用|應用|游戏|遊戲|客户端|客戶端)",
        r"\binstall\b|download\s+(?:now|free|the\s+app)|^download$|^get$"
        r"|get\s+(?:the\s+|this\s+)?app\b|get\s+it\s+on|open\s+in\s+(?:google\s+)?play",
    ),
    Cue.STORE: _rx(
        r"google\s*play|app\s*store|play\s*store|应用商店|應用商店|应用市场|應用市場",
        r"^free$|\bfree\b\s*★|★|\d(?:\.\d)?\s*★|\(\d{1,3}(?:,\d{3})+\)|\(\d{2,}\)",
        r"\d+(?:\.\d+)?\s*(?:million|thousand|billion|[mk]\+)|\d+\s*(?:万|萬|亿|億)\s*(?:次|人)?下",
        r"下载量|下載量|人下载|人下載|次下载|次下載|\bdownloads?\b",
    ),
    Cue.POSTPONE: _rx(
        r"以后再说|以後再說|下次再说|下次再說|下次|稍后|稍後|以后|以後|暂不|暫不|先不|晚点|晚點|回头|回頭",
        r"\blater\b|not\s+now|remind\s+me|maybe\s+later|ask\s+me\s+later|some\s+other\s+time",
    ),
    Cue.DISMISS: _rx(
        r"^(?:取消|关闭|關閉|跳过|跳過|不了|不用了|不需要|拒绝|拒絕|残忍拒绝|殘忍拒絕|算了|忽略|知道了)",
        r"不用了|不,?谢谢|不,?謝謝|不感兴趣|不感興趣",
        r"^no\b|no\s*,?\s*thanks|^cancel\b(?!\s*(?:any\s*time|at\s+any))|^close\b|^skip\b|^dismiss\b|^never\b|^[×✕✖╳x]$",
        r"not\s+interested|don'?t\s+(?:ask|show)",
    ),
    Cue.AD_MARKER: _rx(
        r"^(?:广告|廣告|赞助|贊助|推广|推廣)(?:\s*[·|•:：-].{0,12})?$",
        r"^(?:ad|ads|sponsored|promoted|advertisement)(?:\s*[·|•:：-].{0,12})?$",
        r"^(?:ad|广告|廣告)\s*\d{1,2}:\d{2}$", r"^sponsored\s+by\b",
    ),
    Cue.AD_FREE: _rx(
        r"去广告|去廣告|免广告|免廣告|无广告|無廣告|关闭广告|關閉廣告|屏蔽广告|屏蔽廣告",
        r"ad[\s-]*free|no\s+ads|remove\s+(?:all\s+)?ads|without\s+ads|block\s+ads",
    ),
    Cue.REQUEST: _rx(
        r"[?？]|吗|嗎|请|請|快来|快來|去(?:开启|開啟|打开|打開|评|評|开通|開通|升级|升級|下载|下載)",
        r"(?:立即|马上|馬上|现在|現在)\S|开启|開啟|打开|打開|给我们|給我們|帮我们|幫我們|支持一下",
        r"please|\bturn\s+on\b|\benable\b|\ballow\b|\brate\b|upgrade|\btry\b|\bget\b|\bjoin\b",
        r"\bgive\b|\bleave\b|don'?t\s+miss|\benjoy|\blove\b|\blike\b|\bgo\b|\bstart\b|\bunlock",
        r"subscribe|\bhelp\s+us\b|\bsupport\b|would\s+you|\bwant\b",
    ),
    Cue.TERMINATE: _rx(
        r"取消|退订|退訂|注销|註銷|退出|删除|刪除|移除|解绑|解綁|停用|停止|关闭|關閉|结束|結束|登出",
        r"\bcancel|unsubscribe|\bdelete\b|\bremove\b|\bsign\s*out\b|\blog\s*out\b|\bturn\s+off\b",
        r"\bstop\b|\bend\b|\bdeactivate|\bdisable\b|\bleave\b|\bdiscard\b|\bquit\b|\bexit\b",
    ),
    Cue.CONFIRM: _rx(
        r"^(?:确认|確認|确定|確定|是的|是,)", r"^(?:yes|confirm|ok(?:ay)?)\b",
    ),
    Cue.PRIVACY: _rx(
        r"隐私政策|隱私政策|隐私权|隱私權|隐私保护|隱私保護|个人信息|個人信息|个人资料|個人資料",
        r"privacy|personal\s+(?:data|information)",
    ),
}

# Button-sized or label-sized text: longer texts are sentences, not controls.
MAX_CONTROL_CHARS = 24


def cues_of(text: str) -> set[Cue]:
    t = fold(text)
    out = {c for c, rx in PATTERNS.items() if rx.search(t)}
    if len(t) > MAX_CONTROL_CHARS:
        out -= {Cue.DISMISS, Cue.POSTPONE, Cue.AD_MARKER}
    return out


def has(cue: Cue, text: str) -> bool:
    return cue in cues_of(text)


# Ad SDK views, by the entry name of their resource id (after ":id/") or their class: how ad
# networks name the views they inject (AdMob, Pangle / CSJ "tt_", GDT / Tencent "gdt_",
# Kuaishou "ksad", Baidu, Meta Audience Network, AppLovin, Unity, ironSource, Mintegral).
AD_SDK_ID = re.compile(
    r"^(?:ad|ads|adview|admob|gdt|csj|tt|ksad|kwad|mbridge|applovin|ironsource|unityads|"
    r"bd_?ad|baidu_?ad|native_?ad|banner_?ad|splash_?ad|interstitial_?ad|reward_?ad)(?:_|$)"
    r"|_ad(?:s|view|_container|_layout)?$",
    re.IGNORECASE)
AD_SDK_CLASS = re.compile(
    r"^(?:com\.google\.android\.gms\.ads|com\.bytedance\.sdk\.openadsdk|com\.qq\.e\."
    r"|com\.kwad\.|com\.baidu\.mobads|com\.facebook\.ads|com\.applovin|com\.unity3d\.ads"
    r"|com\.ironsource|com\.mbridge|com\.anythink)", re.IGNORECASE)


def is_ad_view(resource_id: str, cls: str) -> bool:
    """A view an ad SDK draws (by its resource-id entry name or its class)."""
    entry = (resource_id or "").rsplit("/", 1)[-1]
    return bool((entry and AD_SDK_ID.search(entry)) or (cls and AD_SDK_CLASS.match(cls)))
