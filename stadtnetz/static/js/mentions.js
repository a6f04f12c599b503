// Mention autocomplete for post editors: typing "@" and two letters offers people and
// organisations; arrow keys choose, Enter or Tab inserts "@[Name]", Escape closes.
// Progressive enhancement: without this script, typing "@[Name]" by hand works the same.
(function () {
  "use strict";

  function setUp(textarea) {
    var form = textarea.closest("form");
    var url = form && form.getAttribute("data-mentions-url");
    if (!url) { return; }
    var status = form.querySelector(".mention-status");
    var list = document.createElement("ul");
    var listId = textarea.id + "-mentions";
    var options = [];
    var active = -1;
    var pending = null;

    list.id = listId;
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", form.getAttribute("data-mentions-label") || "");
    list.hidden = true;
    textarea.insertAdjacentElement("afterend", list);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", listId);
    // No aria-expanded: a textarea (role textbox) may not carry it. The live status below
    // announces the suggestions, aria-activedescendant the chosen one.

    function query() {
      var before = textarea.value.slice(0, textarea.selectionStart);
      var match = /@\[?([^\[\]@\n]{2,60})$/.exec(before);
      return match ? { text: match[1], start: before.length - match[0].length } : null;
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      options = [];
      active = -1;
      textarea.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      options.forEach(function (option, i) { option.setAttribute("aria-selected", String(i === index)); });
      active = index;
      if (index >= 0) { textarea.setAttribute("aria-activedescendant", options[index].id); }
    }

    function insert(index) {
      var found = query();
      if (!found || index < 0) { return; }
      var text = options[index].getAttribute("data-insert") + " ";
      var caret = textarea.selectionStart;
      textarea.value = textarea.value.slice(0, found.start) + text + textarea.value.slice(caret);
      var position = found.start + text.length;
      textarea.setSelectionRange(position, position);
      close();
      textarea.focus();
    }

    function show(items) {
      close();
      items.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("data-insert", item.insert);
        option.textContent = item.name;
        option.addEventListener("mousedown", function (event) { event.preventDefault(); insert(i); });
        list.appendChild(option);
        options.push(option);
      });
      if (status) {
        status.textContent = (form.getAttribute("data-mentions-found") || "%(num)s").replace("%(num)s", items.length);
      }
      if (items.length) {
        list.hidden = false;
        highlight(0);
      }
    }

    textarea.addEventListener("input", function () {
      var found = query();
      if (!found) { close(); return; }
      if (pending) { pending.abort(); }
      pending = new AbortController();
      fetch(url + "?q=" + encodeURIComponent(found.text), { signal: pending.signal, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(show)
        .catch(function () { /* a newer keystroke took over */ });
    });

    textarea.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + options.length) % options.length);
      } else if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        insert(active);
      } else if (event.key === "Escape") {
        close();
      }
    });

    textarea.addEventListener("blur", close);
  }

  document.querySelectorAll("textarea[data-mentions]").forEach(setUp);
}());
