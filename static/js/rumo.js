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
})();
