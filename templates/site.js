// relpolicy site script: copy buttons and the search box. No external
// requests; works from file:// (the search index is a script,
// assets/search-index.js, not a fetch of api/v1/index.json).
(function () {
  "use strict";

  var statusEl = null;
  function announce(msg) {
    statusEl = statusEl || document.getElementById("copy-status");
    if (statusEl) {
      statusEl.textContent = msg;
    }
  }

  // Copy with a fallback for browsers or origins (file://) where
  // navigator.clipboard is missing or refuses.
  function legacyCopy(text) {
    var ta = document.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.style.position = "fixed";
    ta.style.top = "0";
    ta.style.left = "0";
    ta.style.opacity = "0";
    document.body.appendChild(ta);
    ta.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    document.body.removeChild(ta);
    return ok;
  }

  function done(btn, ok, text) {
    btn.textContent = ok ? "Copied" : "Select and copy";
    announce(ok ? "Copied " + text : "Copying is not available here; select the text and copy it.");
    if (!ok) {
      var code = btn.parentNode && btn.parentNode.querySelector("code");
      if (code && window.getSelection) {
        var range = document.createRange();
        range.selectNodeContents(code);
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
      }
    }
    window.setTimeout(function () {
      btn.textContent = "Copy";
    }, 2500);
  }

  function copy(btn) {
    var text = btn.getAttribute("data-copy") || "";
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(
        function () { done(btn, true, text); },
        function () { done(btn, legacyCopy(text), text); }
      );
    } else {
      done(btn, legacyCopy(text), text);
    }
  }

  function initCopy() {
    var buttons = document.querySelectorAll("button.copy");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
    }
    document.addEventListener("click", function (ev) {
      var t = ev.target;
      while (t && t !== document) {
        if (t.nodeType === 1 && t.classList.contains("copy") && t.tagName === "BUTTON") {
          copy(t);
          return;
        }
        t = t.parentNode;
      }
    });
  }

  // Search over window.RELPOLICY_SEARCH (assets/search-index.js):
  //   repos:    [name, latest version]
  //   releases: [repo index, version, published date]
  //   items:    [release index, artifact id, reference or file name, "sha256:<hex>" or ""]
  var MAX = 50;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }

  function link(href, text) {
    var a = el("a", text);
    a.setAttribute("href", href);
    return a;
  }

  function initSearch() {
    var form = document.getElementById("search-form");
    var input = document.getElementById("q");
    var out = document.getElementById("results");
    if (!form || !input || !out) {
      return;
    }
    var data = window.RELPOLICY_SEARCH;
    if (!data || !data.repos) {
      out.textContent = "The search index did not load; use the table of repositories below.";
      return;
    }
    var repoHay = data.repos.map(function (r) { return (r[0] + " " + r[1]).toLowerCase(); });
    var relHay = data.releases.map(function (r) {
      return (data.repos[r[0]][0] + " " + r[1]).toLowerCase();
    });
    var itemHay = data.items.map(function (it) {
      return (relHay[it[0]] + " " + it[1] + " " + it[2]).toLowerCase();
    });

    function repoOf(reli) { return data.repos[data.releases[reli][0]][0]; }
    function relPage(reli) { return repoOf(reli) + "/" + data.releases[reli][1] + "/index.html"; }

    function search(q) {
      var results = [];
      var seen = {};
      function push(key, r) {
        if (!seen[key]) {
          seen[key] = true;
          results.push(r);
        }
      }
      var hex = q.replace(/^sha256:/, "");
      if (/^[0-9a-f]{6,64}$/.test(hex)) {
        data.items.forEach(function (it) {
          var d = it[3];
          if (d && d.slice(7).indexOf(hex) === 0) {
            push("d" + d + it[0], { kind: "digest", item: it });
          }
        });
      }
      var terms = q.split(/\s+/).filter(Boolean);
      function all(h) {
        for (var i = 0; i < terms.length; i++) {
          if (h.indexOf(terms[i]) < 0) { return false; }
        }
        return true;
      }
      repoHay.forEach(function (h, i) {
        if (all(h)) { push("r" + i, { kind: "repo", repo: i }); }
      });
      relHay.forEach(function (h, i) {
        if (all(h)) { push("v" + i, { kind: "release", rel: i }); }
      });
      itemHay.forEach(function (h, i) {
        if (all(h)) { push("v" + data.items[i][0], { kind: "release", rel: data.items[i][0], item: data.items[i] }); }
      });
      return results;
    }

    function render(q) {
      out.textContent = "";
      if (!q) {
        return;
      }
      var results = search(q);
      var count = el("p", results.length === 0 ? "No official artifact matches." :
        results.length === 1 ? "1 match." : results.length + " matches.", "count");
      out.appendChild(count);
      var ol = el("ol");
      results.slice(0, MAX).forEach(function (r) {
        var li = el("li");
        if (r.kind === "repo") {
          var repo = data.repos[r.repo];
          li.appendChild(link(repo[0] + "/index.html", repo[0]));
          li.appendChild(el("span", " repository" + (repo[1] ? ", latest release " + repo[1] : ""), "kind"));
        } else if (r.kind === "release") {
          var rel = data.releases[r.rel];
          li.appendChild(link(relPage(r.rel), repoOf(r.rel) + " " + rel[1]));
          var what = " release" + (rel[2] ? ", published " + rel[2] : "");
          if (r.item) { what += " (" + r.item[1] + ": " + r.item[2] + ")"; }
          li.appendChild(el("span", what, "kind"));
        } else {
          var it = r.item;
          var hex = it[3].slice(7);
          li.appendChild(link("digests/sha256/" + hex + "/index.html", it[3]));
          li.appendChild(el("span", " official: " + it[1] + " (" + it[2] + ") in ", "kind"));
          li.appendChild(link(relPage(it[0]), repoOf(it[0]) + " " + data.releases[it[0]][1]));
        }
        ol.appendChild(li);
      });
      out.appendChild(ol);
      if (results.length > MAX) {
        out.appendChild(el("p", (results.length - MAX) + " more; refine the search.", "help"));
      }
    }

    var timer = 0;
    function run() {
      render(input.value.trim().toLowerCase());
    }
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(run, 120);
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      run();
    });
    var q = "";
    try {
      q = new URLSearchParams(window.location.search).get("q") || "";
    } catch (e) {
      q = "";
    }
    if (q) {
      input.value = q;
      run();
    }
  }

  // The compliance dashboard (compliance/index.html): filter rows by text
  // (repository or rule) and status, and sort by a column header. Without
  // JavaScript the controls stay hidden and the full table, worst first,
  // is the page.
  function initCompliance() {
    var table = document.getElementById("compliance");
    var form = document.getElementById("compliance-filter");
    if (!table || !form) {
      return;
    }
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var q = document.getElementById("cf-q");
    var status = document.getElementById("cf-status");
    var count = document.getElementById("cf-count");
    function filter() {
      var terms = q.value.toLowerCase().split(/\s+/).filter(Boolean);
      var want = status.value;
      var shown = 0;
      rows.forEach(function (tr) {
        var hay = (tr.getAttribute("data-repo") + " " + tr.getAttribute("data-rules")).toLowerCase();
        var ok = (!want || tr.getAttribute("data-status") === want) &&
          terms.every(function (t) { return hay.indexOf(t) >= 0; });
        tr.hidden = !ok;
        if (ok) {
          shown++;
        }
      });
      count.textContent = shown + " of " + rows.length + " repositories";
    }
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th) {
      var key = th.getAttribute("data-sort");
      if (!key) {
        return;
      }
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "sort";
      btn.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(btn);
      btn.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var x = a.getAttribute("data-" + key), y = b.getAttribute("data-" + key);
          var c = key === "repo" ? x.localeCompare(y) : Number(x) - Number(y);
          if (c === 0) {
            c = a.getAttribute("data-repo").localeCompare(b.getAttribute("data-repo"));
          }
          return asc ? c : -c;
        });
        rows.forEach(function (tr) { body.appendChild(tr); });
      });
    });
    q.addEventListener("input", filter);
    status.addEventListener("change", filter);
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });
    form.hidden = false;
    filter();
  }

  function init() {
    initCopy();
    initSearch();
    initCompliance();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
