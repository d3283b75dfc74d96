"""The virtual device's own apps: the launcher, system Settings and a generic 'other app' screen.

They are built as ordinary App models so the same layout, renderer and XML serve them.
"""

from __future__ import annotations

from darkscan.device.virtual.model import (
    Action,
    ActionKind,
    Align,
    App,
    ButtonStyle,
    Edges,
    Icon,
    LauncherEntry,
    Screen,
    ScreenSize,
    Theme,
    Widget,
    WidgetType,
)

LAUNCHER = "com.android.launcher3"
SETTINGS = "com.android.settings"
WALLPAPER_TOP = (38, 70, 120, 255)

_T = {
    "zh-Hans": dict(
        settings="设置", apps="应用", app_info="应用信息", uninstall="卸载", force_stop="强行停止",
        confirm="要卸载此应用吗？", cancel="取消", ok="确定", version="版本 1.0.0",
        notifications="通知", permissions="权限", storage="存储和缓存", data="移动数据和 WLAN",
        battery="电池", network="网络和互联网", devices="已连接的设备", display="显示",
        security="安全", privacy="隐私", about="关于手机", all_apps="查看全部 {n} 个应用",
        opening="正在打开…", browser="浏览器"),
    "zh-Hant": dict(
        settings="設定", apps="應用程式", app_info="應用程式資訊", uninstall="解除安裝",
        force_stop="強制停止", confirm="要解除安裝這個應用程式嗎？", cancel="取消", ok="確定",
        version="版本 1.0.0", notifications="通知", permissions="權限", storage="儲存空間和快取",
        data="行動數據和 Wi-Fi", battery="電池", network="網路和網際網路", devices="已連結的裝置",
        display="螢幕", security="安全性", privacy="隱私權", about="關於手機",
        all_apps="查看全部 {n} 個應用程式", opening="正在開啟…", browser="瀏覽器"),
    "en": dict(
        settings="Settings", apps="Apps", app_info="App info", uninstall="Uninstall",
        force_stop="Force stop", confirm="Do you want to uninstall this app?", cancel="Cancel",
        ok="OK", version="version 1.0.0", notifications="Notifications",
        permissions="Permissions", storage="Storage & cache", data="Mobile data & Wi-Fi",
        battery="Battery", network="Network & internet", devices="Connected devices",
        display="Display", security="Security", privacy="Privacy", about="About phone",
        all_apps="See all {n} apps", opening="Opening…", browser="Browser"),
}
_SETTINGS_ICON = Icon((96, 125, 139, 255), "", symbol="settings")
_SYS_THEME = Theme(primary=(26, 115, 232, 255), app_bar=(255, 255, 255, 255),
                   app_bar_text=(32, 33, 36, 255), status_bar=(255, 255, 255, 255))


def texts(lang: str) -> dict[str, str]:
    return _T.get(lang, _T["en"])


def _w(wtype: WidgetType, key: str, **kw: object) -> Widget:
    return Widget(type=wtype, key=key, **kw)  # type: ignore[arg-type]


def launcher_app(apps: list[App], size: ScreenSize, lang: str) -> App:
    t = texts(lang)
    entries = tuple(LauncherEntry(a.package, a.label, a.icon) for a in apps)
    entries += (LauncherEntry(SETTINGS, t["settings"], _SETTINGS_ICON),)
    grid = _w(WidgetType.APP_GRID, "w0", apps=entries, margin=Edges(24, 0, 0, 0))
    home = Screen("home", activity=".uioverride.QuickstepLauncher", widgets=(grid,))
    return App(LAUNCHER, "Launcher", {"home": home}, "home", icon=Icon(), lang=lang,
               screen_size=size, theme=Theme(status_bar=WALLPAPER_TOP))


def _go(sid: str) -> Action:
    return Action(ActionKind.GO, sid)


def settings_app(apps: list[App], size: ScreenSize, lang: str) -> App:
    """Settings › Apps › <app> › App info › Uninstall (confirm dialog)."""
    t = texts(lang)
    main_rows = [("network", "globe"), ("devices", "phone"), ("apps", "grid"),
                 ("notifications", "bell"), ("battery", "info"), ("storage", "doc"),
                 ("display", "star"), ("security", "lock"), ("privacy", "shield"),
                 ("about", "info")]
    main = Screen("main", activity=".Settings", title=t["settings"], widgets=tuple(
        _w(WidgetType.ROW, f"w{i}", text=t[k], icon=icon, chevron=False,
           tap=_go("apps") if k == "apps" else None)
        for i, (k, icon) in enumerate(main_rows)))
    app_rows = tuple(
        _w(WidgetType.ROW, f"w{i}", text=a.label, subtitle=a.package, icon="grid",
           chevron=False, tap=_go(f"info/{a.package}"))
        for i, a in enumerate(apps))
    screens = {
        "main": main,
        "apps": Screen("apps", activity=".SubSettings", title=t["apps"], back_arrow=True,
                       widgets=(_w(WidgetType.TEXT, "h", text=t["all_apps"].format(n=len(apps)),
                                   color=(95, 99, 104, 255)),) + app_rows),
    }
    for a in apps:
        info = f"info/{a.package}"
        confirm = f"confirm/{a.package}"
        buttons = _w(WidgetType.ROW_GROUP, "w2", items=(
            _w(WidgetType.BUTTON, "w2.0", id="uninstall", text=t["uninstall"],
               style=ButtonStyle.OUTLINED, enabled=not a.uninstall_disabled, tap=_go(confirm)),
            _w(WidgetType.BUTTON, "w2.1", id="force_stop", text=t["force_stop"],
               style=ButtonStyle.OUTLINED),
        ))
        rows = tuple(_w(WidgetType.ROW, f"w{3 + i}", text=t[k], chevron=False)
                     for i, k in enumerate(("notifications", "permissions", "storage", "data",
                                            "battery")))
        screens[info] = Screen(info, activity=".applications.InstalledAppDetails",
                               title=t["app_info"], back_arrow=True, widgets=(
            _w(WidgetType.TEXT, "w0", text=a.label or a.package, size=22, bold=True,
               align=Align.CENTER, margin=Edges(24, 16, 4, 16)),
            _w(WidgetType.TEXT, "w1", text=t["version"], align=Align.CENTER,
               color=(95, 99, 104, 255)),
            buttons,
        ) + rows)
        screens[confirm] = Screen(confirm, activity=".applications.InstalledAppDetails",
                                  dialog=True, title=a.label or a.package, widgets=(
            _w(WidgetType.TEXT, "w0", text=t["confirm"], margin=Edges(0, 16, 16, 16)),
            _w(WidgetType.ROW_GROUP, "w1", items=(
                _w(WidgetType.BUTTON, "w1.0", text=t["cancel"], style=ButtonStyle.TEXT,
                   tap=Action(ActionKind.CLOSE)),
                _w(WidgetType.BUTTON, "w1.1", id="button1", text=t["ok"], style=ButtonStyle.TEXT,
                   tap=Action(ActionKind.UNINSTALL, a.package)),
            )),
        ))
    return App(SETTINGS, t["settings"], screens, "main", icon=_SETTINGS_ICON, lang=lang,
               screen_size=size, theme=_SYS_THEME)


def external_app(package: str, size: ScreenSize, lang: str) -> App:
    """Whatever app an ``open_app`` action brings up when it is not installed here."""
    t = texts(lang)
    if any(k in package for k in ("browser", "chrome", "firefox")):
        url = f"https://{'.'.join(reversed(package.split('.')[:2]))}/"
        screen = Screen("page", activity=".BrowserActivity", widgets=(
            _w(WidgetType.INPUT, "w0", id="url_bar", text=url, margin=Edges(8, 8, 8, 8)),
            _w(WidgetType.WEBVIEW, "w1", height=900, lines=(t["opening"],)),
        ))
        return App(package, t["browser"], {"page": screen}, "page", lang=lang,
                   screen_size=size, theme=_SYS_THEME)
    label = package.rsplit(".", 1)[-1]
    screen = Screen("main", title=label, widgets=(
        _w(WidgetType.TEXT, "w0", text=t["opening"], align=Align.CENTER,
           margin=Edges(48, 16, 16, 16)),
    ))
    return App(package, label, {"main": screen}, "main", lang=lang, screen_size=size,
               theme=Theme(primary=(69, 90, 100, 255)))
