// Meeting pages. No inline scripts: the Content Security Policy forbids them.
(function () {
  "use strict";

  // htmx copies "style" between old and new elements of the same id while settling;
  // browsers' autofill leaves style="" on inputs, and the CSP (no inline styles)
  // blocks the copy. Nothing here animates inline styles, so settle only classes.
  if (window.htmx) {
    window.htmx.config.attributesToSettle = ["class", "width", "height"];
  }

  // The attendance form: count the ticked members and say whether there is a quorum.
  function updateQuorum() {
    var box = document.querySelector("[data-quorum]");
    if (!box) {
      return;
    }
    var present = document.querySelectorAll('input[type="checkbox"][name="present"]:checked').length;
    var reached = present >= Number(box.getAttribute("data-needed")) && Number(box.getAttribute("data-members")) > 0;
    var state = box.querySelector("[data-quorum-state]");
    box.querySelector("[data-quorum-present]").textContent = String(present);
    state.textContent = box.getAttribute(reached ? "data-reached" : "data-missing");
    state.classList.toggle("text-success", reached);
    state.classList.toggle("text-danger", !reached);
  }

  document.addEventListener("change", function (event) {
    if (event.target.name === "present") {
      updateQuorum();
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-check-all]");
    if (!button) {
      return;
    }
    var checked = button.getAttribute("data-check-all") === "true";
    document.querySelectorAll('input[type="checkbox"][name="present"]').forEach(function (input) {
      input.checked = checked;
    });
    updateQuorum();
  });
})();
