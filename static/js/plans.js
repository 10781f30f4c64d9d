// The plan page: in-place editing with htmx, focus after each change, drag-and-drop order.
// No inline scripts or handlers: the Content Security Policy forbids them.
(function () {
  "use strict";
  if (!window.htmx) {
    return;
  }

  // A 400 (invalid input) or 409 (a colleague's change, a frozen plan) comes with
  // a form or a message to show, so swap it like a success.
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "40[09]", swap: true, error: false },
    { code: "[45]..", swap: false, error: true },
  ];

  function focusOn(id, control) {
    var element = document.getElementById(id);
    if (!element) {
      return;
    }
    var target = control ? element.querySelector('[data-control="' + control + '"]') : null;
    if (!target || target.disabled) {
      target = element;
    }
    target.focus();
  }

  // The server says where focus goes after a change: the moved row's button, the new row…
  document.body.addEventListener("rumoFocus", function (event) {
    focusOn(event.detail.id, event.detail.control);
  });

  // "Отмена" links name the control that opened the form: focus returns to it.
  var focusAfter = null;
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var source = event.detail.elt;
    focusAfter = source && source.getAttribute ? source.getAttribute("data-focus-after") : null;
  });
  document.body.addEventListener("htmx:afterSettle", function () {
    if (focusAfter) {
      var parts = focusAfter.split(" ");
      focusAfter = null;
      focusOn(parts[0], parts[1]);
    }
  });

  // "Saved" fades after a few seconds; warnings (cleared signatures) stay until closed.
  var successTimer = null;
  document.body.addEventListener("htmx:afterSettle", function () {
    var success = document.querySelector('#plan-notice .alert-success[data-testid="notice"]');
    window.clearTimeout(successTimer);
    if (success) {
      successTimer = window.setTimeout(function () {
        success.remove();
      }, 4000);
    }
  });

  // Answers without a fragment (403, 404, 500, no network): say so in the notice area.
  function showError() {
    var notice = document.getElementById("plan-notice");
    if (!notice) {
      return;
    }
    var alert = document.createElement("div");
    alert.className = "alert alert-danger";
    alert.setAttribute("data-testid", "notice");
    alert.setAttribute("role", "alert");
    alert.textContent = notice.getAttribute("data-error-text");
    notice.replaceChildren(alert);
  }
  document.body.addEventListener("htmx:responseError", showError);
  document.body.addEventListener("htmx:sendError", showError);

  // Drag and drop: the row's new 0-based index goes to its move URL, like the arrow buttons.
  function makeSortable(container) {
    if (!window.Sortable || container.rumoSortable) {
      return;
    }
    container.rumoSortable = window.Sortable.create(container, {
      handle: container.getAttribute("data-handle"),
      draggable: "[data-move-url]",
      animation: 150,
      onEnd: function (event) {
        if (event.oldDraggableIndex === event.newDraggableIndex) {
          return;
        }
        htmx.ajax("POST", event.item.getAttribute("data-move-url"), {
          source: event.item,
          target: container.getAttribute("data-target"),
          swap: "outerHTML",
          values: { index: event.newDraggableIndex },
        });
      },
    });
  }

  // Sortable animates rows with inline styles. htmx copies the old rows' attributes onto
  // the new ones while settling, and the CSP blocks those styles: drop them first.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.querySelectorAll) {
      return;
    }
    target.removeAttribute("style");
    target.querySelectorAll("[style]").forEach(function (element) {
      element.removeAttribute("style");
    });
  });

  htmx.onLoad(function (root) {
    if (root.matches && root.matches("[data-sortable]")) {
      makeSortable(root);
    }
    if (root.querySelectorAll) {
      root.querySelectorAll("[data-sortable]").forEach(makeSortable);
    }
  });
})();
