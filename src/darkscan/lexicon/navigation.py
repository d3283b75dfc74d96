"""Navigation wording: labels that lead toward the goals, away from them, and the answers to
dialogs (consent, dismiss, back). The explorer orders its actions by these.

Written normalised-once (:func:`phrase_set`): zh-Hans, zh-Hant (through
:func:`~darkscan.lexicon.normalize.normalize`) and English. Nothing here knows a particular app.
"""

from __future__ import annotations

from darkscan.lexicon.normalize import phrase_set

# --- navigation hints: labels that lead toward settings / account / subscription ----------
TOWARD = phrase_set([
    # zh
    "我的", "个人中心", "个人主页", "设置", "设定", "系统设置", "通用", "账号", "账户", "帐号",
    "账号与安全", "账号管理", "账户管理", "会员", "会员中心", "vip", "我的会员", "会员管理",
    "自动续费", "续费管理", "订阅", "订阅管理", "我的订阅", "隐私", "隐私设置", "隐私管理",
    "权限", "安全", "安全中心", "关于", "关于我们", "帮助", "帮助与反馈", "帮助中心", "客服",
    "反馈", "更多", "管理", "钱包", "支付设置", "支付管理", "服务", "个性化", "内容偏好",
    "广告", "消息设置", "协议", "政策", "规则",
    # zh-Hant words (Taiwan, Hong Kong) that do not fold into the words above
    "應用程式", "個人化", "帳戶", "會籍", "戶口", "私隱", "續期", "扣款", "付款", "個人檔案",
    "意見回饋", "說明", "客戶服務",
    # en
    "profile", "account", "settings", "setting", "preferences", "manage",
    "subscription", "subscriptions", "membership", "premium", "billing", "payment", "privacy",
    "security", "aboutus", "help", "support", "personal", "personalization",
    "personalisation", "recommendation", "legal", "policy", "policies", "contact",
    "renewal", "autopay", "auto-pay",
])
# Short navigation words that only count when they are the whole label.
TOWARD_EXACT = phrase_set(["我", "me", "my", "mine", "more", "about", "ads", "you", "我 的",
                           "plan", "plans", "your plan", "my plan"])

# Labels that rarely lead anywhere useful for the goals (explored last).
AWAY = phrase_set([
    "分享", "转发", "点赞", "收藏", "评论", "下载", "缓存", "播放", "搜索", "刷新", "换一换", "关注",
    "直播", "游戏", "商城", "签到",
    "share", "like", "comment", "download", "play", "search", "refresh", "follow", "shop",
])

# Buttons that dismiss splash ads, consent dialogs and popups (used for "stuck" recovery and
# for recognising a popup's way out). Consent acceptance is how a first-time user proceeds.
DISMISS = phrase_set([
    "跳过", "关闭", "取消", "以后再说", "暂不", "暂不需要", "不再提示", "我知道了", "知道了", "下次再说",
    "残忍拒绝", "不了", "稍后", "返回", "放弃", "×", "x", "✕", "✖",
    "skip", "close", "dismiss", "not now", "later", "no thanks", "maybe later", "cancel", "got it",
    # zh-Hant (Taiwan 略過 = skip)
    "略過", "稍後再說", "以後再說", "下次再說", "暫時不要", "不用了", "不，謝謝",
    "remind me later", "ask me later", "no, thanks", "skip for now", "not right now",
])
CONSENT = phrase_set([
    "同意", "同意并继续", "我同意", "接受", "允许", "好的", "确定", "继续",
    "agree", "accept", "i agree", "allow", "ok", "continue", "got it",
    "同意並繼續", "接受並繼續", "我同意", "好", "確認",
    "agree and continue", "accept and continue", "accept & continue", "accept all", "i accept",
    "okay",
])

# Back / navigate-up arrows (content descriptions of the toolbar's up button).
BACK_WORDS = phrase_set(["转到上一层级", "返回", "向上导航", "瀏覽上一頁", "navigate up", "back"])
