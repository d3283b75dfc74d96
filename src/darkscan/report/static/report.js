/* darkscan report: filtering, finding overlays, screen viewer, graph pan/zoom.
   Plain JS, no library, no network. App text is only ever set through textContent. */
(function () {
  "use strict";
  var dataEl = document.getElementById("report-data");
  var DATA = dataEl ? JSON.parse(dataEl.textContent) : { screens: {}, strings: {} };
  var S = DATA.strings || {};

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  /* ---- findings: filters ---- */
  var form = document.getElementById("filters");
  var items = Array.prototype.slice.call(document.querySelectorAll("li.finding"));
  function applyFilters() {
    if (!form) return;
    var want = {
      category: form.elements.category.value,
      severity: form.elements.severity.value,
      screen: form.elements.screen.value
    };
    var shown = 0;
    items.forEach(function (li) {
      var ok = (!want.category || li.dataset.category === want.category) &&
               (!want.severity || li.dataset.severity === want.severity) &&
               (!want.screen || li.dataset.screen === want.screen);
      li.hidden = !ok;
      if (ok) shown++;
    });
    var out = document.getElementById("shown-count");
    if (out) out.textContent = shown + " / " + items.length + " " + (S["filter.shown"] || "");
  }
  if (form) {
    form.hidden = false;
    form.addEventListener("change", applyFilters);
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    applyFilters();
  }

  /* ---- findings: click a finding to show its screenshot with the box ---- */
  items.forEach(function (li) {
    li.addEventListener("click", function (ev) {
      if (ev.target.closest("a, summary, select")) return;
      var det = li.querySelector("details.shot");
      items.forEach(function (o) { o.classList.remove("active"); });
      li.classList.add("active");
      if (det && !det.open) det.open = true;
    });
  });

  /* ---- screen viewer (graph nodes, screen thumbnails) ---- */
  var viewer = document.getElementById("viewer");
  function openScreen(anchor) {
    var s = DATA.screens[anchor];
    if (!s || !viewer || typeof viewer.showModal !== "function") return false;
    var body = viewer.querySelector(".viewer-body");
    body.textContent = "";
    body.appendChild(el("h3", null, s.label));
    body.appendChild(el("code", null, s.id));
    if (s.activity) body.appendChild(el("p", "note", (S.activity || "") + ": " + s.activity));
    if (s.img) {
      var frame = el("span", "shot-frame");
      var img = el("img");
      img.src = s.img;
      img.alt = "";
      frame.appendChild(img);
      s.findings.forEach(function (f) {
        if (f.length < 7) return;
        var box = el("span", "box");
        box.style.left = f[3] + "%"; box.style.top = f[4] + "%";
        box.style.width = f[5] + "%"; box.style.height = f[6] + "%";
        frame.appendChild(box);
      });
      body.appendChild(frame);
    } else {
      body.appendChild(el("p", "note", S.no_screenshot));
    }
    if (s.findings.length) {
      body.appendChild(el("h4", null, S.findings_here));
      var ul = el("ul");
      s.findings.forEach(function (f) {
        var li = el("li");
        var a = el("a", "sev sev-" + f[1], f[0]);
        a.href = "#" + f[0];
        a.addEventListener("click", function () { viewer.close(); });
        li.appendChild(a);
        li.appendChild(document.createTextNode(" " + f[2]));
        ul.appendChild(li);
      });
      body.appendChild(ul);
    }
    document.querySelectorAll("figure.screen.active").forEach(function (x) {
      x.classList.remove("active");
    });
    var fig = document.getElementById(anchor);
    if (fig) fig.classList.add("active");
    viewer.dataset.screen = anchor;
    if (!viewer.open) viewer.showModal();
    return true;
  }
  if (viewer) {
    viewer.querySelector("button.close").addEventListener("click", function () { viewer.close(); });
  }
  document.querySelectorAll("figure.screen a.open-screen").forEach(function (a) {
    a.addEventListener("click", function (ev) {
      if (openScreen(a.closest("figure").id)) ev.preventDefault();
    });
  });

  /* ---- graph: pan (drag), zoom (wheel, buttons), highlight a goal path, open a node ---- */
  var svg = document.getElementById("graph-svg");
  if (svg) {
    var tools = document.getElementById("graph-tools");
    if (tools) tools.hidden = false;
    var full = { x: 0, y: 0, w: parseFloat(svg.dataset.w), h: parseFloat(svg.dataset.h) };
    var vb = { x: full.x, y: full.y, w: full.w, h: full.h };
    var setVB = function () {
      svg.setAttribute("viewBox", vb.x + " " + vb.y + " " + vb.w + " " + vb.h);
    };
    var toSvg = function (clientX, clientY) {
      var r = svg.getBoundingClientRect();
      var scale = Math.max(vb.w / r.width, vb.h / r.height);
      var ox = (r.width * scale - vb.w) / 2, oy = (r.height * scale - vb.h) / 2;
      return { x: vb.x - ox + (clientX - r.left) * scale, y: vb.y - oy + (clientY - r.top) * scale,
               scale: scale };
    };
    var zoom = function (factor, cx, cy) {
      var w = Math.min(Math.max(vb.w / factor, 40), full.w * 4);
      var h = w * vb.h / vb.w;
      vb.x = cx - (cx - vb.x) * (w / vb.w);
      vb.y = cy - (cy - vb.y) * (h / vb.h);
      vb.w = w; vb.h = h;
      setVB();
    };
    svg.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var p = toSvg(ev.clientX, ev.clientY);
      zoom(ev.deltaY < 0 ? 1.15 : 1 / 1.15, p.x, p.y);
    }, { passive: false });
    var drag = null, moved = false;
    svg.addEventListener("pointerdown", function (ev) {
      drag = { x: ev.clientX, y: ev.clientY, vx: vb.x, vy: vb.y, s: toSvg(0, 0).scale };
      moved = false;
    });
    window.addEventListener("pointermove", function (ev) {
      if (!drag) return;
      var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
      if (!moved && Math.abs(dx) + Math.abs(dy) < 4) return;
      if (!moved) svg.classList.add("dragging");
      moved = true;
      vb.x = drag.vx - dx * drag.s; vb.y = drag.vy - dy * drag.s;
      setVB();
    });
    window.addEventListener("pointerup", function () {
      drag = null;
      svg.classList.remove("dragging");
    });
    svg.querySelectorAll("a.node").forEach(function (a) {
      a.addEventListener("click", function (ev) {
        ev.preventDefault();
        if (moved) return;
        if (!openScreen(a.dataset.screen)) location.hash = a.dataset.screen;
      });
    });
    if (tools) {
      tools.querySelectorAll("button[data-zoom]").forEach(function (b) {
        b.addEventListener("click", function () {
          var f = parseFloat(b.dataset.zoom);
          if (!f) { vb = { x: full.x, y: full.y, w: full.w, h: full.h }; setVB(); return; }
          zoom(f, vb.x + vb.w / 2, vb.y + vb.h / 2);
        });
      });
      var sel = document.getElementById("graph-goal");
      sel.addEventListener("change", function () {
        var gid = sel.value;
        svg.classList.toggle("focus", !!gid);
        svg.querySelectorAll(".edge, .node").forEach(function (e) {
          var goals = (e.getAttribute("data-goals") || "").split(" ");
          e.classList.toggle("hl", !!gid && goals.indexOf(gid) >= 0);
        });
      });
    }
  }
})();
