// Autocomplete for the search box: fills the input's <datalist> with suggestions from the server.
// Progressive enhancement: without JavaScript the search form works unchanged.
(function () {
  "use strict";

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.dataset.suggestUrl;
    var timer = null;
    var controller = null;

    function show(words) {
      list.replaceChildren.apply(list, words.map(function (word) {
        var option = document.createElement("option");
        option.value = word;
        return option;
      }));
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var prefix = input.value;
        if (prefix.trim().length < 2) { show([]); return; }
        if (controller) { controller.abort(); }
        controller = new AbortController();
        fetch(url + "?q=" + encodeURIComponent(prefix), { signal: controller.signal, headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(show)
          .catch(function () { /* an aborted or failed request just leaves the list as it is */ });
      }, 150);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-suggest-url][list]").forEach(attach);
  });
})();
