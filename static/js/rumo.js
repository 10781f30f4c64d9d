// Site-wide behaviour. No inline scripts: the Content Security Policy forbids them.
(function () {
  "use strict";
  // Ask before a destructive action: <form data-confirm="Удалить?">.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  }, true);

  // Text typed into an htmx form is kept in this tab until the server has taken
  // it. If the session ran out (the server answers with HX-Redirect to the login
  // page, rumo/middleware.py), the text survives the sign-in and is offered back
  // on the page, and again when the same form opens.
  var PREFIX = "rumo:unsaved:";
  var FIELDS = "textarea, select, input:not([type]), input[type=text], input[type=date], " +
    "input[type=number], input[type=email], input[type=url], input[type=tel]";

  function text(name) {
    var texts = document.getElementById("rumo-texts");
    return (texts && texts.getAttribute("data-" + name)) || "";
  }

  function store() {
    try { return window.sessionStorage; } catch (error) { return null; }
  }

  function formOf(element) {
    if (!element) { return null; }
    if (element.tagName === "FORM") { return element; }
    return element.closest ? element.closest("form") : null;
  }

  function keyOf(form) {
    return PREFIX + (form.getAttribute("hx-post") || form.getAttribute("action") || "");
  }

  function valuesOf(form) {
    var values = {};
    var typed = false;
    form.querySelectorAll(FIELDS).forEach(function (field) {
      if (!field.name || field.name === "csrfmiddlewaretoken" || field.type === "hidden") { return; }
      values[field.name] = field.value;
      if (field.tagName === "TEXTAREA" || field.type === "text") { typed = typed || field.value.trim() !== ""; }
    });
    return typed ? values : null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = formOf(event.detail.elt);
    var storage = store();
    if (!form || !storage || (form.getAttribute("method") || "").toLowerCase() !== "post") { return; }
    var values = valuesOf(form);
    if (!values) { return; }
    storage.setItem(keyOf(form), JSON.stringify({page: window.location.pathname, values: values}));
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = formOf(event.detail.elt);
    var storage = store();
    var xhr = event.detail.xhr;
    if (!form || !storage || !xhr) { return; }
    // Saved (or answered with the form and its errors, which holds the text):
    // nothing to keep. A redirect to the login page keeps it.
    if (event.detail.successful && !xhr.getResponseHeader("HX-Redirect")) {
      storage.removeItem(keyOf(form));
    }
  });

  function fill(form, values) {
    Object.keys(values).forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field && field.tagName) { field.value = values[name]; }
    });
  }

  function notice(words, onRestore, onDrop, restoreLabel) {
    var box = document.createElement("div");
    box.className = "alert alert-warning d-flex flex-wrap align-items-center gap-2";
    box.setAttribute("role", "status");
    box.setAttribute("data-unsaved-notice", "");
    var message = document.createElement("span");
    message.className = "me-auto";
    message.textContent = words;
    box.appendChild(message);
    if (onRestore) {
      var restore = document.createElement("button");
      restore.type = "button";
      restore.className = "btn btn-sm btn-warning";
      restore.textContent = restoreLabel;
      restore.addEventListener("click", function () { onRestore(); box.remove(); });
      box.appendChild(restore);
    }
    var drop = document.createElement("button");
    drop.type = "button";
    drop.className = "btn btn-sm btn-outline-secondary";
    drop.textContent = text("drop");
    drop.addEventListener("click", function () { onDrop(); box.remove(); });
    box.appendChild(drop);
    return box;
  }

  function offer(root) {
    var storage = store();
    if (!storage) { return; }
    (root.tagName === "FORM" ? [root] : Array.prototype.slice.call(root.querySelectorAll("form")))
      .forEach(function (form) {
        var key = keyOf(form);
        var saved = storage.getItem(key);
        if (!saved || form.hasAttribute("data-unsaved-offered")) { return; }
        form.setAttribute("data-unsaved-offered", "");
        var values = JSON.parse(saved).values;
        form.prepend(notice(
          text("unsaved-form"),
          function () { fill(form, values); storage.removeItem(key); },
          function () { storage.removeItem(key); },
          text("restore")
        ));
      });
  }

  function remind() {
    // Unsaved text of this page whose form is not open: say so at the top.
    var storage = store();
    var main = document.getElementById("main");
    if (!storage || !main) { return; }
    var waiting = [];
    for (var index = 0; index < storage.length; index += 1) {
      var key = storage.key(index);
      if (key && key.indexOf(PREFIX) === 0) {
        var saved = JSON.parse(storage.getItem(key));
        var open = Array.prototype.some.call(document.querySelectorAll("form"), function (form) {
          return keyOf(form) === key;
        });
        if (saved.page === window.location.pathname && !open) { waiting.push(key); }
      }
    }
    if (!waiting.length) { return; }
    main.prepend(notice(
      text("unsaved-page"),
      null,
      function () { waiting.forEach(function (key) { storage.removeItem(key); }); }
    ));
  }

  // A table wider than the screen scrolls inside its region: say so, show it (a
  // shadow at the edge that has more) and let the keyboard reach it.
  function markScrollRegions(root) {
    var regions = root.querySelectorAll ? root.querySelectorAll(".table-responsive") : [];
    Array.prototype.forEach.call(regions, function (region) {
      var wide = region.scrollWidth > region.clientWidth + 1;
      region.classList.toggle("is-scrollable", wide);
      if (wide && !region.hasAttribute("tabindex")) {
        region.setAttribute("tabindex", "0");
        region.setAttribute("role", "region");
        var caption = region.querySelector("caption");
        region.setAttribute("aria-label", caption ? caption.textContent.trim() : text("scroll-region"));
        var hint = document.createElement("p");
        hint.className = "scroll-hint small text-muted";
        hint.setAttribute("aria-hidden", "true");
        hint.textContent = text("scroll-hint");
        region.parentNode.insertBefore(hint, region);
      }
    });
  }

  // Keyboard in the in-place forms: Ctrl+Enter (⌘+Enter) saves, Esc cancels.
  document.addEventListener("keydown", function (event) {
    var form = formOf(event.target);
    if (!form || !form.hasAttribute("hx-post")) { return; }
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    } else if (event.key === "Escape") {
      var cancel = form.querySelector("[data-cancel], a.btn-link[hx-get]");
      if (cancel) { event.preventDefault(); cancel.click(); }
    }
  });

  // After an htmx swap replaced the focused element, put focus on its twin in
  // the new content (the same id, or the same button), not on the page body.
  var focused = null;
  document.addEventListener("htmx:beforeSwap", function () {
    var active = document.activeElement;
    focused = active && active !== document.body ? {
      id: active.id,
      name: active.getAttribute("name"),
      value: active.getAttribute("value"),
      tag: active.tagName
    } : null;
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var active = document.activeElement;
    if (!focused || (active && active !== document.body)) { return; }
    var twin = null;
    if (focused.id) { twin = document.getElementById(focused.id); }
    if (!twin && focused.name) {
      twin = document.querySelector(focused.tag + "[name='" + CSS.escape(focused.name) + "']" +
        (focused.value !== null ? "[value='" + CSS.escape(focused.value) + "']" : ""));
    }
    if (!twin && event.detail.elt && event.detail.elt.isConnected) {
      twin = event.detail.elt.querySelector("button, a[href], input, select, textarea, [tabindex]");
    }
    focused = null;
    if (twin) { twin.focus(); }
  });

  // A long list of checkboxes (speakers, responsible people, council) gets a
  // search box that hides the names that do not match (ё = е, any case).
  function fold(value) { return value.toLowerCase().replace(/ё/g, "е"); }

  function addChecklistSearch(root) {
    var boxes = root.querySelectorAll ? root.querySelectorAll("input[data-checklist]") : [];
    var containers = [];
    Array.prototype.forEach.call(boxes, function (box) {
      var container = box.closest("fieldset") || box.closest("[id^='div_id_']");
      if (container && containers.indexOf(container) === -1) { containers.push(container); }
    });
    containers.forEach(function (container) {
      var choices = container.querySelectorAll(".form-check");
      if (choices.length < 8 || container.querySelector(".checklist-search")) { return; }
      var search = document.createElement("input");
      search.type = "search";
      search.className = "form-control form-control-sm checklist-search mb-2";
      search.placeholder = text("checklist-search");
      search.setAttribute("aria-label", text("checklist-search"));
      var list = choices[0].parentNode;
      list.parentNode.insertBefore(search, list);
      search.addEventListener("input", function () {
        var wanted = fold(search.value.trim());
        Array.prototype.forEach.call(choices, function (choice) {
          choice.hidden = wanted !== "" && fold(choice.textContent).indexOf(wanted) === -1;
        });
      });
      search.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); }  // do not submit the form
      });
    });
  }

  // A text longer than the limit is not cut on paste (the browser's maxlength
  // would do that silently, in a one-line field too): the field says how much is
  // over, the server refuses it with its message and keeps it.
  var LIMITED = "textarea[maxlength], input[maxlength]:not([type=password])";
  function watchLengths(root) {
    var fields = root.querySelectorAll ? root.querySelectorAll(LIMITED) : [];
    Array.prototype.forEach.call(fields, function (field) {
      var limit = parseInt(field.getAttribute("maxlength"), 10);
      field.removeAttribute("maxlength");
      var note = document.createElement("div");
      note.className = "form-text";
      note.setAttribute("aria-live", "polite");
      field.insertAdjacentElement("afterend", note);
      function update() {
        var over = field.value.length - limit;
        note.textContent = over > 0 ? text("too-long").replace("%(limit)s", limit).replace("%(over)s", over) : "";
        note.classList.toggle("text-danger", over > 0);
        // Only the mark this script set is taken away: the server's errors stay.
        if (over > 0 && !field.classList.contains("is-invalid")) {
          field.classList.add("is-invalid");
          field.setAttribute("data-too-long", "");
        } else if (over <= 0 && field.hasAttribute("data-too-long")) {
          field.classList.remove("is-invalid");
          field.removeAttribute("data-too-long");
        }
      }
      field.addEventListener("input", update);
      update();
    });
  }

  function enhance(root) {
    markScrollRegions(root);
    addChecklistSearch(root);
    watchLengths(root);
  }

  document.addEventListener("htmx:load", function (event) {
    offer(event.detail.elt);
    enhance(event.detail.elt);
  });
  document.addEventListener("DOMContentLoaded", function () {
    offer(document);
    remind();
    enhance(document);
  });
  window.addEventListener("resize", function () { markScrollRegions(document); });
})();
