"""Random app models: a graph of screens (not a tree), goals present or absent, faults.

``generate(seed)`` is reproducible (one ``random.Random(seed)``, no clocks). The app has tabs on
its main screen, hub pages (settings, account, privacy, about › legal, help, membership),
generic pages hung in a random tree under them, then cross links that give screens a second
parent and close cycles. Entries to a page are rows, buttons, icon-only images with a content
description, items of an overflow ⋮ menu, a side drawer or a "more" page. Faults: a screen that
crashes on entry, a crashing action, a jump to another app, a secure page, a slow page, a
sticky switch, a popup on every entry of every N-th page, back buttons whose result depends on
the back stack, and a Terms page reachable from the paywall and from the legal page.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from darkscan.evaluation.appgen.model import APP_GOALS, AppModel, S, W
from darkscan.evaluation.appgen.phrases import BANK, LANGS

ENTRY_KINDS = ("row", "row", "row", "row", "button", "icon", "overflow", "more")
ICONS = ("doc", "star", "heart", "list", "info", "bell", "globe", "gift", "grid", "mail")


@dataclass(frozen=True)
class GenOptions:
    min_screens: int = 10
    max_screens: int = 300
    size: tuple[int, int, float] = (360, 640, 1.0)
    lang: str | None = None
    goal_p: float = 0.75          # chance that each goal is present
    fault_p: float = 0.35         # chance of each fault kind
    launch_p: float = 0.35        # chance of a launch sequence (consent, guide, login wall...)
    terms_two_parents: bool | None = None   # force the Terms-of-Use case on / off


class _Builder:
    def __init__(self, seed: int, opt: GenOptions) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.opt = opt
        self.lang = opt.lang or self.rng.choice(LANGS)
        self.B = BANK[self.lang]
        self.screens: dict[str, S] = {}
        self.depth: dict[str, int] = {}
        self.children: dict[str, int] = {}
        self.features: set[str] = set()
        self.fillers = list(self.B["filler"])
        self.rng.shuffle(self.fillers)
        self.n_fill = 0

    # ------------------------------------------------------------------ helpers
    def p(self, x: float) -> bool:
        return self.rng.random() < x

    def filler(self) -> str:
        base = self.fillers[self.n_fill % len(self.fillers)]
        rep = self.n_fill // len(self.fillers)
        self.n_fill += 1
        return base if rep == 0 else f"{base} {rep + 1}"

    def add(self, s: S, depth: int) -> S:
        self.screens[s.id] = s
        self.depth[s.id] = depth
        self.children.setdefault(s.id, 0)
        return s

    def page(self, sid: str, title: str, depth: int, **kw: object) -> S:
        s = S(sid, title=title, back_arrow=not self.p(0.1), activity=f".{sid.title()}Activity",
              **kw)  # type: ignore[arg-type]
        return self.add(s, depth)

    def link(self, parent: str, child: str, label: str, *, kind: str | None = None) -> None:
        """Give ``parent`` an entry to ``child``, as a row, button, icon, menu item..."""
        par = self.screens[parent]
        kind = kind or self.rng.choice(ENTRY_KINDS)
        if par.dialog or par.tabs and kind in ("overflow", "more"):
            kind = "row"
        self.children[parent] = self.children.get(parent, 0) + 1
        if kind == "row":
            par.widgets.append(W("row", label, "go", child, opts={"icon": self.rng.choice(ICONS)}))
        elif kind == "button":
            par.widgets.append(W("button", label, "go", child, opts={"style": "outlined"}))
        elif kind == "icon":
            self.features.add("icon_only")
            grp = next((w for w in par.widgets if w.type == "row_group" and w.opts.get("icons")),
                       None)
            if grp is None or len(grp.items) >= 4:
                grp = W("row_group", opts={"icons": True})
                par.widgets.insert(0, grp)
            grp.items.append(W("image", "", "go", child,
                               opts={"desc": label, "height": 40, "color": "#90A4AE"}))
        elif kind == "overflow":
            self.features.add("overflow_menu")
            menu = self.screens.get(f"{parent}_menu")
            if menu is None:
                menu = self.add(S(f"{parent}_menu", dialog=True, outside_closes=True),
                                self.depth[parent] + 1)
                par.widgets.insert(0, W("row_group", opts={"icons": True}, items=[
                    W("image", "", "go", menu.id,
                      opts={"desc": self.B["overflow"], "height": 40, "color": "#B0BEC5"})]))
            menu.widgets.append(W("row", label, "go", child, opts={"chevron": False}))
        elif kind == "more":
            self.features.add("more_page")
            more = self.screens.get(f"{parent}_more")
            if more is None:
                more = self.page(f"{parent}_more", self.B["hubs"]["more"],
                                 self.depth[parent] + 1)
                par.widgets.append(W("row", self.B["hubs"]["more"], "go", more.id,
                                     opts={"icon": "more"}))
            more.widgets.append(W("row", label, "go", child, opts={"icon": "list"}))
            self.depth[child] = min(self.depth.get(child, 99), self.depth[more.id] + 1)
            return
        self.depth[child] = min(self.depth.get(child, 99), self.depth[parent] + 1)

    def pick_parent(self, pool: list[str], max_depth: int = 9) -> str:
        ok = [s for s in pool if self.depth.get(s, 0) < max_depth and self.children[s] < 7
              and not self.screens[s].crash]
        return self.rng.choice(ok or pool)

    # ------------------------------------------------------------------ the app
    def build(self) -> AppModel:
        rng, B = self.rng, self.B
        n_target = rng.randint(self.opt.min_screens, self.opt.max_screens)
        present = {g: self.p(self.opt.goal_p) for g in APP_GOALS}
        if not present["subscribe"]:
            present["cancel_subscription"] = False
        # tabs: home first, "mine" last
        k = rng.randint(2, 4)
        mids = rng.sample(B["tabs"][1:], k - 2)
        tab_specs = [B["tabs"][0], *mids, B["mine_tab"]]
        tab_ids = ["home"] + [f"tab{i}" for i in range(1, k - 1)] + ["mine"]
        tabs = [(t, icon, sid) for (t, icon), sid in zip(tab_specs, tab_ids)]
        for i, sid in enumerate(tab_ids):
            self.add(S(sid, tabs=tabs, tab_index=i), 1)
        home, mine = self.screens["home"], self.screens["mine"]
        home.widgets.append(W("image", B["app_names"][0], opts={"height": 96, "gradient": True}))
        mine.widgets.append(W("row", B["user"], opts={"icon": "user", "chevron": False}))
        for sid in tab_ids[1:-1]:
            self.screens[sid].widgets.append(W("text", B["paragraph"]))
        start = "home"
        if self.p(0.3):  # a splash with a skip button, on every launch
            self.features.add("splash")
            self.add(S("splash", widgets=[
                W("image", B["splash"], opts={"height": 200, "gradient": True}),
                W("button", B["skip"], "go", "home", opts={"style": "text"})]), 0)
            start = "splash"
        if self.p(0.4):  # a side drawer behind an icon on the home screen
            self.features.add("drawer")
            self.add(S("drawer", dialog=True, outside_closes=True), 2)
            home.widgets.insert(0, W("row_group", opts={"icons": True}, items=[
                W("image", "", "go", "drawer", opts={"desc": B["drawer"], "height": 40,
                                                     "color": "#78909C"})]))
        # hubs
        hubs = B["hubs"]
        pool = [sid for sid in tab_ids]
        self.page("settings", hubs["settings"], 2)
        self.link("mine", "settings", hubs["settings"], kind=rng.choice(["row", "row", "icon"]))
        pool.append("settings")
        hub_parent = {"account": "settings", "privacy": "settings", "about": "settings",
                      "help": "mine", "notifications": "settings", "general": "settings"}
        need = {"account": present["delete_account"] or self.p(0.5),
                "privacy": present["recommendation_off"] or self.p(0.5),
                "about": True, "help": present["customer_service"] or self.p(0.5),
                "notifications": self.p(0.5), "general": self.p(0.4)}
        for hub, parent in hub_parent.items():
            if not need[hub]:
                continue
            if self.p(0.25):
                parent = self.pick_parent(pool, 4)
            self.page(hub, hubs[hub], self.depth[parent] + 1)
            self.link(parent, hub, hubs[hub])
            pool.append(hub)
        self.page("legal", hubs["legal"], self.depth["about"] + 1)
        self.link("about", "legal", hubs["legal"], kind="row")
        pool.append("legal")
        if "drawer" in self.screens:
            for sid in rng.sample(pool[1:], min(3, len(pool) - 1)):
                self.link("drawer", sid, self.title_of(sid), kind="row")
        # generic pages in a random tree
        n_special = 18   # goal pages, fault pages and dialogs added below, at most
        gen_ids: list[str] = []
        i = 0
        while len(self.screens) < n_target - n_special:
            sid = f"p{i}"
            i += 1
            parent = self.pick_parent(pool + gen_ids)
            title = self.filler()
            self.page(sid, title, self.depth[parent] + 1)
            self.link(parent, sid, title)
            self.fill_generic(self.screens[sid])
            gen_ids.append(sid)
        self.goals(present, pool, gen_ids)
        self.faults(pool, gen_ids)
        launch = self.launch_sequence() if self.p(self.opt.launch_p) else []
        # cross links: second parents and cycles
        targets = [s for s in pool + gen_ids if s not in tab_ids]
        for _ in range(max(2, len(self.screens) // 6)):
            a = self.pick_parent(pool + gen_ids)
            b = rng.choice(targets)
            if a != b and not self.screens[b].crash:
                self.features.add("cross_link")
                self.link(a, b, self.title_of(b))
        # back buttons whose result depends on the back stack
        for sid in rng.sample(gen_ids, min(len(gen_ids), max(1, len(gen_ids) // 8))):
            self.screens[sid].widgets.append(W("button", B["back_button"], "back",
                                               opts={"style": "text"}))
            self.features.add("back_button")
        for s in self.screens.values():  # every page shows something
            if not s.widgets:
                s.widgets.append(W("text", B["paragraph"]))
        w, h, dens = self.opt.size
        name = B["app_names"][self.seed % len(B["app_names"])]
        return AppModel(self.seed, f"com.gen.app{self.seed}", name, self.lang, (w, h, dens),
                        start, "home", self.screens, self.features, launch)

    def launch_sequence(self) -> list[tuple[str, str]]:
        """What a user meets before the main screen: a consent dialog or page, guide pages, a
        login wall, an update popup - each on the first launch only or on every launch."""
        B, rng = self.B, self.rng
        steps: list[tuple[str, str]] = []
        title, text, agree, link = B["consent"]
        consent_page = self.p(0.4)
        widgets = [W("text", text)]
        if "policy" in self.screens:  # the consent names the privacy policy, as a link
            widgets.append(W("button", link, "go", "policy", goal="privacy_policy",
                             opts={"style": "text"}))
        widgets.append(W("button", agree, "next", opts={"style": "filled"}))
        self.add(S("consent", title=title, dialog=not consent_page, widgets=widgets,
                   activity=".ConsentActivity"), 0)
        steps.append(("consent", "first" if self.p(0.8) else "always"))
        self.features.add("consent_page" if consent_page else "consent_dialog")
        if self.p(0.4):
            for i in range(rng.randint(1, 2)):
                titles, nxt = B["guide"]
                self.add(S(f"guide{i}", widgets=[
                    W("image", "", opts={"height": 200, "gradient": True}),
                    W("text", titles[i], opts={"size": 20, "bold": True}),
                    W("button", nxt, "next", opts={"style": "filled"})],
                    activity=".GuideActivity"), 0)
                steps.append((f"guide{i}", "first"))
            self.features.add("guide")
        if self.p(0.3):
            lw_title, later = B["login_wall"]
            login, phone, pw = B["login"]
            self.add(S("login_wall", title=lw_title, activity=".LoginActivity", widgets=[
                W("input", opts={"hint": phone}), W("input", opts={"hint": pw, "password": True}),
                W("button", login, "none", opts={"style": "filled"}),
                W("button", later, "next", opts={"style": "text"})]), 0)
            steps.append(("login_wall", rng.choice(["first", "always"])))
            self.features.add("login_wall")
        if self.p(0.3):
            u_title, u_text, later = B["update"]
            self.add(S("update", title=u_title, dialog=True, widgets=[
                W("text", u_text), W("button", later, "next", opts={"style": "text"})]), 0)
            steps.append(("update", "first"))
            self.features.add("update_popup")
        return steps

    def title_of(self, sid: str) -> str:
        s = self.screens[sid]
        if s.title:
            return s.title
        if s.tabs:
            return s.tabs[s.tab_index][0]
        return self.filler()

    def fill_generic(self, s: S) -> None:
        B, rng = self.B, self.rng
        r = rng.random()
        if r < 0.3:
            s.widgets.append(W("text", B["paragraph"]))
        elif r < 0.45:
            s.widgets.append(W("switch", self.filler(), opts={"checked": self.p(0.5)}))
        for _ in range(rng.randint(0, 2)):
            s.widgets.append(W("row", self.filler(), opts={"chevron": False}))

    # ------------------------------------------------------------------ goals
    def goals(self, present: dict[str, bool], pool: list[str], gen: list[str]) -> None:
        rng, B = self.rng, self.B
        G = B["goals"]

        def deep_parent(default: str) -> str:
            if gen and self.p(0.35):
                return self.pick_parent(gen, 8)
            return default

        if present["subscribe"]:
            par = deep_parent(rng.choice(["mine", "home"]))
            label = rng.choice(B["entries"]["subscribe"])
            vip = self.page("membership", label, self.depth[par] + 1)
            self.link(par, "membership", label, kind=rng.choice(["row", "button"]))
            vip.widgets.append(W("image", B["popup"][1], opts={"height": 100, "gradient": True}))
            self.page("checkout", B["checkout"], self.depth["membership"] + 1, widgets=[
                W("text", B["pay_method"]),
                W("button", B["pay"], "pay", "mine", opts={"style": "filled"})])
            vip.widgets.append(W("button", rng.choice(G["subscribe"]), "go", "checkout",
                                 goal="subscribe", opts={"style": "filled"}))
            self.features.add("paywall")
            pool.append("membership")
        if present["cancel_subscription"]:
            par = deep_parent(rng.choice(["membership", "account" if "account" in self.screens
                                          else "settings", "settings"]))
            label = rng.choice(B["entries"]["cancel_subscription"])
            mg = self.page("manage_sub", label, self.depth[par] + 1)
            self.link(par, "manage_sub", label, kind="row")
            mg.widgets.append(W("text", B["paragraph"]))
            if self.p(0.3):
                mg.widgets.append(W("switch", rng.choice(G["cancel_switch"]),
                                    goal="cancel_subscription", opts={"checked": True}))
            else:
                q, keep, go_on = B["retain"]
                self.add(S("retain", dialog=True, widgets=[
                    W("text", q),
                    W("button", keep, "close", opts={"style": "filled"}),
                    W("button", go_on, "close", opts={"style": "text"})]),
                    self.depth["manage_sub"] + 1)
                mg.widgets.append(W("button", rng.choice(G["cancel_subscription"]), "go",
                                    "retain", goal="cancel_subscription",
                                    opts={"style": "outlined"}))
        if present["delete_account"]:
            par = "account" if "account" in self.screens else "settings"
            par = deep_parent(par)
            self.page("delete_page", G["delete_account"][0], self.depth[par] + 1, widgets=[
                W("text", B["delete_warn"]),
                W("button", B["delete_confirm"], "delete_account", "home",
                  opts={"style": "filled", "color": "#D32F2F"})])
            self.screens[par].widgets.append(W("row", rng.choice(G["delete_account"]), "go",
                                               "delete_page", goal="delete_account"))
            self.children[par] += 1
        if present["recommendation_off"]:
            par = "privacy" if "privacy" in self.screens else "settings"
            par = deep_parent(par)
            self.screens[par].widgets.append(W("switch", rng.choice(G["recommendation_off"]),
                                               goal="recommendation_off",
                                               opts={"checked": True}))
        if present["privacy_policy"]:
            self.page("policy", G["privacy_policy"][0], self.depth["legal"] + 1, widgets=[
                W("webview", opts={"lines": B["web"]})])
            self.screens["legal"].widgets.append(W("row", rng.choice(G["privacy_policy"]), "go",
                                                   "policy", goal="privacy_policy"))
            if self.p(0.3):
                extra = self.pick_parent(pool + gen)
                self.screens[extra].widgets.append(W("row", rng.choice(G["privacy_policy"]),
                                                     "go", "policy", goal="privacy_policy"))
        two = self.opt.terms_two_parents
        if two is None:
            two = present["subscribe"] and self.p(0.6)
        if two and "membership" in self.screens:
            # Terms of Use from the paywall and from the legal page: "navigate up" returns to
            # whichever opened it (issue #10.2)
            self.features.add("terms_two_parents")
            self.page("terms", B["terms"], self.depth["legal"] + 1, widgets=[
                W("webview", opts={"lines": B["web"]})])
            self.screens["terms"].back_arrow = True
            self.screens["membership"].widgets.append(W("row", B["terms"], "go", "terms",
                                                        opts={"chevron": False}))
            self.screens["legal"].widgets.insert(0, W("row", B["terms"], "go", "terms"))
        if present["customer_service"]:
            par = "help" if "help" in self.screens else "mine"
            par = deep_parent(par)
            self.page("cs_page", G["customer_service"][0], self.depth[par] + 1, widgets=[
                W("text", B["paragraph"])])
            self.screens[par].widgets.append(W("row", rng.choice(G["customer_service"]), "go",
                                               "cs_page", goal="customer_service"))
            self.children[par] += 1

    # ------------------------------------------------------------------ faults
    def faults(self, pool: list[str], gen: list[str]) -> None:
        rng, B, fp = self.rng, self.B, self.opt.fault_p
        where = pool + gen
        if self.p(fp):
            par = self.pick_parent(where)
            self.page("crash_page", B["crash"], self.depth[par] + 1, crash=True)
            self.link(par, "crash_page", B["crash"], kind="row")
            self.features.add("crash_screen")
        if gen and self.p(fp):
            victim = self.screens[rng.choice(gen)]
            if victim.popup is None:
                victim.crash = "once"    # the first entry crashes, later ones work
                self.features.add("crash_once")
        if self.p(fp):
            self.screens[self.pick_parent(where)].widgets.append(
                W("row", self.filler(), "crash", opts={"chevron": False}))
            self.features.add("crash_action")
        if self.p(fp):
            self.screens[self.pick_parent(where)].widgets.append(
                W("row", B["external"], "open_app", "com.android.chrome", opts={"icon": "globe"}))
            self.features.add("external_app")
        if self.p(fp):
            par = self.pick_parent(where)
            self.page("secure_page", B["secure"], self.depth[par] + 1, secure=True,
                      widgets=[W("image", "", opts={"height": 160, "color": "#263238"})])
            self.link(par, "secure_page", B["secure"], kind="row")
            self.features.add("secure")
        if self.p(fp):
            par = self.pick_parent(where)
            self.page("slow_page", B["slow"], self.depth[par] + 1, slow=3.0,
                      widgets=[W("text", B["paragraph"])])
            self.link(par, "slow_page", B["slow"], kind="row")
            self.features.add("slow")
        if self.p(fp):
            host = "notifications" if "notifications" in self.screens else "settings"
            self.screens[host].widgets.append(W("switch", B["sticky"],
                                                opts={"checked": True, "sticky": True}))
            self.features.add("sticky_switch")
        if gen and self.p(fp):
            title, text, close, see = B["popup"]
            target = "membership" if "membership" in self.screens else rng.choice(gen)
            self.add(S("promo", dialog=True, title=title, widgets=[
                W("text", text),
                W("button", see, "go", target, opts={"style": "filled"}),
                W("button", close, "close", opts={"style": "text"})]), 0)
            every = rng.choice([3, 4, 5])
            for sid in gen[every - 1::every]:
                self.screens[sid].popup = ("promo", 99)
            self.features.add("popup")
        if self.p(fp / 2) and "account" in self.screens:
            lo, q, cancel, ok = B["logout"]
            self.add(S("logout", dialog=True, widgets=[
                W("text", q), W("button", cancel, "close", opts={"style": "text"}),
                W("button", ok, "close", opts={"style": "filled"})]), 0)
            self.screens["account"].widgets.append(W("row", lo, "go", "logout",
                                                     opts={"chevron": False}))
        if self.p(fp / 2):
            title, phone, pw = B["login"]
            par = self.pick_parent(where)
            self.page("login", title, self.depth[par] + 1, widgets=[
                W("input", opts={"hint": phone}), W("input", opts={"hint": pw, "password": True}),
                W("button", title, "none", opts={"style": "filled"})])
            self.link(par, "login", title, kind="row")
            self.features.add("password_field")


def generate(seed: int, options: GenOptions | None = None) -> AppModel:
    """The app for ``seed`` (same seed and options -> the same app, byte for byte)."""
    return _Builder(seed, options or GenOptions()).build()
