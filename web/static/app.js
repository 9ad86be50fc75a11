// Progressive enhancement only: every page works without this script.
(function () {
  "use strict";

  // Filter selects apply on change. Without this script the Apply button
  // does the same.
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) {
      submit(el.form);
    }
  });

  function submit(form) {
    if (form.requestSubmit) {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  // Editor forms: Ctrl+Enter (Cmd+Enter on a Mac) saves from any field.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || !(e.ctrlKey || e.metaKey)) {
      return;
    }
    var form = e.target.closest && e.target.closest("form[data-editor]");
    if (form) {
      e.preventDefault();
      submit(form);
    }
  });

  // A ticked "Remove" box greys its row out, so the person sees what the
  // save will drop.
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.type !== "checkbox" || !/\]\.remove$/.test(el.name)) {
      return;
    }
    var row = el.closest("[data-row]");
    if (row) {
      row.classList.toggle("row-removed", el.checked);
    }
  });

  // Lists offer a few blank rows; "Add" copies the last blank row with
  // the next free number, so a long list needs no trip to the server.
  function addRow(list) {
    var blanks = list.querySelectorAll(":scope > [data-blank]");
    var model = blanks[blanks.length - 1];
    if (!model) {
      return;
    }
    var name = list.getAttribute("data-list");
    var next = parseInt(list.getAttribute("data-next"), 10);
    var named = model.querySelector("[name]");
    var found = named && named.name.slice(name.length).match(/^\[(\d+)\]/);
    if (!found || isNaN(next)) {
      return;
    }
    var from = name + "[" + found[1] + "]";
    var to = name + "[" + next + "]";
    var row = model.cloneNode(true);
    row.querySelectorAll("*").forEach(function (el) {
      ["name", "id", "for", "aria-describedby"].forEach(function (attr) {
        var v = el.getAttribute(attr);
        if (v && v.indexOf(from) !== -1) {
          el.setAttribute(attr, v.split(from).join(to));
        }
      });
      if (el.matches("input[type=checkbox]")) {
        el.checked = false;
      } else if (el.matches("input:not([type=hidden]), textarea")) {
        el.value = "";
      }
      el.removeAttribute("aria-invalid");
      var described = (el.getAttribute("aria-describedby") || "").split(" ")
        .filter(function (id) { return id && id.indexOf("err-") !== 0; }).join(" ");
      if (described) {
        el.setAttribute("aria-describedby", described);
      } else {
        el.removeAttribute("aria-describedby");
      }
    });
    row.querySelectorAll(".field-error").forEach(function (el) {
      el.remove();
    });
    row.querySelectorAll(".has-error").forEach(function (el) {
      el.classList.remove("has-error");
    });
    row.classList.remove("row-removed");
    list.appendChild(row);
    list.setAttribute("data-next", String(next + 1));
    var first = row.querySelector("input:not([type=hidden]), textarea, select");
    if (first) {
      first.focus();
    }
  }

  function enhanceLists() {
    document.querySelectorAll("form[data-editor] [data-list]").forEach(function (list) {
      if (!list.querySelector(":scope > [data-blank]")) {
        return;
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button-add";
      button.textContent = list.getAttribute("data-add") || "Add a row";
      button.addEventListener("click", function () {
        addRow(list);
      });
      list.insertAdjacentElement("afterend", button);
    });
  }

  // Leaving an editor with unsaved changes asks first.
  function guardUnsaved() {
    document.querySelectorAll("form[data-editor]").forEach(function (form) {
      var dirty = false;
      form.addEventListener("input", function () {
        dirty = true;
      });
      form.addEventListener("submit", function () {
        dirty = false;
      });
      window.addEventListener("beforeunload", function (e) {
        if (dirty) {
          e.preventDefault();
          e.returnValue = "";
        }
      });
    });
  }

  // The form of a refused save moves focus to its list of problems.
  function focusErrors() {
    var box = document.getElementById("form-errors");
    if (box) {
      box.focus();
    }
  }

  function init() {
    enhanceLists();
    guardUnsaved();
    focusErrors();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
