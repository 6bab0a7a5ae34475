/* plancheck serve: upload with progress, job polling, report navigation. No external code. */
(function () {
  "use strict";
  var page = document.body.getAttribute("data-page");

  function ext(name) {
    var i = name.lastIndexOf(".");
    return i < 0 ? "" : name.slice(i).toLowerCase();
  }
  function humanBytes(n) {
    if (n >= 1048576) return (n / 1048576).toFixed(n >= 10485760 ? 0 : 1) + " MB";
    if (n >= 1024) return Math.round(n / 1024) + " KB";
    return n + " B";
  }

  /* ---------- upload page ---------- */
  function initUpload() {
    var form = document.getElementById("upload");
    var drop = document.getElementById("drop");
    var pick = document.getElementById("files");
    var folder = document.getElementById("folder");
    var list = document.getElementById("chosen-list");
    var chosen = document.getElementById("chosen");
    var count = document.getElementById("chosen-count");
    var skipped = document.getElementById("skipped");
    var skippedList = document.getElementById("skipped-list");
    var clientError = document.getElementById("client-error");
    var clearBtn = document.getElementById("clear");
    var submit = document.getElementById("submit");
    var busy = document.getElementById("busy");
    var busyText = document.getElementById("busy-text");
    var bar = document.getElementById("busy-bar");
    var accept = form.getAttribute("data-accept").split(",");
    var maxFiles = +form.getAttribute("data-max-files");
    var maxFile = +form.getAttribute("data-max-file");
    var maxTotal = +form.getAttribute("data-max-total");
    var files = [], rejected = [];

    function add(fileList) {
      for (var i = 0; i < fileList.length; i++) {
        var f = fileList[i];
        if (accept.indexOf(ext(f.name)) >= 0) files.push(f); else rejected.push(f.name);
      }
      render();
    }
    function render() {
      list.textContent = "";
      var total = 0;
      files.forEach(function (f) {
        var li = document.createElement("li");
        li.textContent = (f.webkitRelativePath || f.name) + " (" + humanBytes(f.size) + ")";
        list.appendChild(li);
        total += f.size;
      });
      chosen.hidden = files.length === 0 && rejected.length === 0;
      clearBtn.hidden = chosen.hidden;
      count.textContent = "(" + files.length + ")";
      skipped.hidden = rejected.length === 0;
      skippedList.textContent = rejected.slice(0, 20).join(", ") + (rejected.length > 20 ? " …" : "");
      var msg = "";
      if (files.length > maxFiles) msg = "≤ " + maxFiles + " / " + files.length;
      else if (total > maxTotal) msg = humanBytes(total) + " > " + humanBytes(maxTotal);
      else files.forEach(function (f) { if (!msg && f.size > maxFile) msg = f.name + ": " + humanBytes(f.size) + " > " + humanBytes(maxFile); });
      clientError.textContent = msg;
      clientError.hidden = !msg;
      submit.disabled = !!msg;
    }
    pick.addEventListener("change", function () { add(pick.files); pick.value = ""; });
    folder.addEventListener("change", function () { add(folder.files); folder.value = ""; });
    clearBtn.addEventListener("click", function () { files = []; rejected = []; render(); pick.focus(); });

    function readEntry(entry, out) {
      return new Promise(function (resolve) {
        if (entry.isFile) {
          entry.file(function (f) { out.push(f); resolve(); }, function () { resolve(); });
        } else if (entry.isDirectory) {
          var reader = entry.createReader(), all = [];
          (function next() {
            reader.readEntries(function (batch) {
              if (!batch.length) {
                Promise.all(all.map(function (e) { return readEntry(e, out); })).then(resolve);
              } else { all = all.concat(Array.prototype.slice.call(batch)); next(); }
            }, function () { resolve(); });
          })();
        } else resolve();
      });
    }
    ["dragenter", "dragover"].forEach(function (t) {
      drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      drop.addEventListener(t, function () { drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) {
      e.preventDefault();
      var items = e.dataTransfer.items, entries = [], loose = [];
      if (items && items.length) {
        for (var i = 0; i < items.length; i++) {
          if (items[i].kind !== "file") continue;
          var en = items[i].webkitGetAsEntry ? items[i].webkitGetAsEntry() : null;
          if (en) entries.push(en);
          else { var f = items[i].getAsFile(); if (f) loose.push(f); }
        }
        var out = loose;
        Promise.all(entries.map(function (en) { return readEntry(en, out); })).then(function () { add(out); });
      } else add(e.dataTransfer.files);
    });

    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var data = new FormData();
      data.append("lang", document.body.getAttribute("data-lang"));
      files.forEach(function (f) { data.append("files", f, f.name); });
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action"));
      xhr.setRequestHeader("Accept", "application/json");
      busy.hidden = false; submit.disabled = true;
      busyText.textContent = document.getElementById("msg-uploading").content.textContent;
      bar.value = 0;
      xhr.upload.onprogress = function (ev) {
        if (ev.lengthComputable) bar.value = Math.round(100 * ev.loaded / ev.total);
      };
      xhr.upload.onload = function () {
        busyText.textContent = document.getElementById("msg-checking").content.textContent;
        bar.removeAttribute("value");
      };
      xhr.onload = function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
        if (xhr.status === 202 && body && body.report_url) { window.location.assign(body.report_url); return; }
        busy.hidden = true; submit.disabled = false;
        clientError.textContent = body && body.error ? body.error.message : ("HTTP " + xhr.status);
        clientError.hidden = false; chosen.hidden = false;
        clientError.focus && clientError.setAttribute("tabindex", "-1"); clientError.focus();
      };
      xhr.onerror = function () {
        busy.hidden = true; submit.disabled = false;
        clientError.textContent = "HTTP error"; clientError.hidden = false; chosen.hidden = false;
      };
      xhr.send(data);
    });
    render();
  }

  /* ---------- progress page ---------- */
  function initProgress() {
    var box = document.getElementById("progress");
    var url = box.getAttribute("data-status");
    var text = document.getElementById("progress-text");
    var bar = document.getElementById("progress-bar");
    var tmpl = document.getElementById("msg-progress").content.textContent;
    function poll() {
      var xhr = new XMLHttpRequest();
      xhr.open("GET", url);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.onload = function () {
        var s = null;
        try { s = JSON.parse(xhr.responseText); } catch (err) { s = null; }
        if (!s || xhr.status !== 200 || s.finished) { window.location.reload(); return; }
        bar.value = s.done; bar.max = s.total;
        text.textContent = tmpl.replace("{done}", s.done).replace("{total}", s.total);
        setTimeout(poll, 600);
      };
      xhr.onerror = function () { setTimeout(poll, 2000); };
      xhr.send();
    }
    setTimeout(poll, 300);
  }

  /* ---------- report page ---------- */
  function initReport() {
    var text = document.getElementById("doctext");
    var current = [];
    function marksFor(id) {
      if (!text) return [];
      return Array.prototype.filter.call(text.querySelectorAll("mark[data-f]"), function (m) {
        return m.getAttribute("data-f").split(" ").indexOf(String(id)) >= 0;
      });
    }
    function clear() {
      current.forEach(function (el) { el.classList.remove("current"); });
      current = [];
    }
    var toList = document.getElementById("to-list");
    function showFinding(id, fromText) {
      clear();
      if (toList) toList.setAttribute("href", "#f" + id);  // back to this finding in the list
      var item = document.getElementById("f" + id);
      var marks = marksFor(id);
      marks.forEach(function (m) { m.classList.add("current"); });
      current = marks.slice();
      if (item) { item.classList.add("current"); current.push(item); }
      if (fromText) {
        if (item) item.scrollIntoView({ block: "nearest" });
      } else if (marks.length) {
        marks[0].scrollIntoView({ block: "center" });
        marks[0].focus({ preventScroll: true });
      }
    }
    document.querySelectorAll("a.flink[data-f]").forEach(function (a) {
      a.addEventListener("click", function (e) {
        e.preventDefault();
        var id = a.getAttribute("data-f");
        if (history.replaceState) history.replaceState(null, "", "#x" + id);
        showFinding(id, false);
      });
    });
    if (text) {
      text.addEventListener("click", function (e) {
        var m = e.target.closest ? e.target.closest("mark[data-f]") : null;
        if (m) showFinding(m.getAttribute("data-f").split(" ")[0], true);
      });
    }
    var filter = document.getElementById("filter");
    if (filter) {
      filter.addEventListener("change", function () {
        var on = {};
        filter.querySelectorAll("input").forEach(function (i) { on[i.value] = i.checked; });
        document.querySelectorAll(".finding").forEach(function (li) {
          li.classList.toggle("hidden", !on[li.getAttribute("data-sev")]);
        });
      });
    }
    var m = /^#x(\d+)$/.exec(window.location.hash);
    if (m) showFinding(m[1], false);
  }

  if (page === "upload") initUpload();
  else if (page === "progress") initProgress();
  else if (page === "report") initReport();
})();
