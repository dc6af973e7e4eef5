// Cadre UI glue: let htmx swap our 4xx error fragments, and say something when a request fails.
(function () {
  "use strict";

  function toast(message) {
    var box = document.getElementById("toast");
    if (!box) return;
    box.textContent = message;
    box.hidden = false;
    clearTimeout(box._timer);
    box._timer = setTimeout(function () { box.hidden = true; }, 6000);
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    // Server-rendered fragments (board with an inline error, note form) are meant to be shown.
    if (xhr.status >= 400 && xhr.getResponseHeader("X-Cadre-Fragment")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    if (status === 403) {
      toast("Not allowed. Your session may have expired: reload the page and try again.");
    } else if (status === 404) {
      toast("That record no longer exists or you cannot see it.");
    } else {
      toast("Something went wrong (" + status + "). Reload the page and try again.");
    }
  });

  document.addEventListener("htmx:sendError", function () {
    toast("Cadre is unreachable. Check your connection and try again.");
  });

  window.cadreToast = toast;
})();
