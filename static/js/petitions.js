// The award petition's nominee picker (templates/members/petition_form.html).
// Without this script every button is a plain POST that re-renders the form; with it
// htmx swaps the picker in place, and this keeps the keyboard where the person was.
// No inline scripts: the Content Security Policy forbids them.
(function () {
  "use strict";

  // Enter in a field does not send the form: htmx searches as one types (a moment after
  // the last key, one search at a time), and only «Сохранить» saves.
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key === "Enter" && window.htmx && input.matches && input.matches("#petition-form input[type=text], [data-nominee-search]")) {
      event.preventDefault();
    }
  });

  // The count next to «Выбраны» follows the ticks (an unticked nominee is left out on saving).
  document.addEventListener("change", function (event) {
    if (!event.target.matches || !event.target.matches("[data-nominee]")) {
      return;
    }
    var count = document.querySelector("[data-chosen-count]");
    if (count) {
      count.textContent = String(document.querySelectorAll("[data-nominee]:checked").length);
    }
  });

  // After «Добавить» the button is gone (the row now says «в списке»): focus the next
  // «Добавить» below it, or the list of the chosen. After a page, the results' heading.
  var pending = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var source = event.detail.elt;
    pending = null;
    if (source.matches("[data-add]")) {
      var rows = Array.prototype.slice.call(document.querySelectorAll("#nominee-results [data-result]"));
      pending = { kind: "add", index: rows.indexOf(source.closest("[data-result]")) };
    } else if (source.matches("[data-page]")) {
      pending = { kind: "page" };
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!pending) {
      return;
    }
    var target = null;
    if (pending.kind === "add") {
      var rows = document.querySelectorAll("#nominee-results [data-result]");
      for (var i = Math.max(pending.index, 0); i < rows.length && !target; i += 1) {
        target = rows[i].querySelector("[data-add]");
      }
      target = target || document.getElementById("chosen-heading");
    } else {
      target = document.getElementById("results-heading");
    }
    pending = null;
    if (target) {
      target.focus();
    }
  });
})();
