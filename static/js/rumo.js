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

  document.addEventListener("htmx:load", function (event) {
    offer(event.detail.elt);
    markScrollRegions(event.detail.elt);
  });
  document.addEventListener("DOMContentLoaded", function () {
    offer(document);
    remind();
    markScrollRegions(document);
  });
  window.addEventListener("resize", function () { markScrollRegions(document); });
})();
