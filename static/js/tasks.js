// Small enhancements of the task pages; every page works without this file.
// Keyboard: "n" focuses the quick add field, "/" the search field (on the task list).
// Also: the copy button of a new API token, and the quick due date buttons of the form.
(function () {
  "use strict";

  function isTyping(target) {
    return (
      target instanceof HTMLElement &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
    );
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) {
      return;
    }
    var field = null;
    if (event.key === "n") {
      field = document.querySelector(".quick-add input[name=title]");
    } else if (event.key === "/") {
      field = document.getElementById("id_q");
    }
    if (field) {
      event.preventDefault();
      field.focus();
    }
  });

  // Keep the reader's place when htmx swaps the list after an action: the browser
  // otherwise moves the scroll position while the list is replaced.
  var scrollBeforeSwap = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "task-region") {
      scrollBeforeSwap = window.scrollY;
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (scrollBeforeSwap !== null && event.detail.target.id === "task-region") {
      window.scrollTo(0, scrollBeforeSwap);
      scrollBeforeSwap = null;
    }
  });

  function localIsoDate(date) {
    var month = String(date.getMonth() + 1).padStart(2, "0");
    var day = String(date.getDate()).padStart(2, "0");
    return date.getFullYear() + "-" + month + "-" + day;
  }

  function enhance() {
    // On a phone the tabs scroll sideways: bring the current one into sight.
    var currentTab = document.querySelector(".tabs [aria-current=page]");
    if (currentTab && currentTab.parentElement.scrollWidth > currentTab.parentElement.clientWidth) {
      currentTab.parentElement.scrollLeft =
        currentTab.offsetLeft - currentTab.parentElement.offsetLeft - 16;
    }

    document.querySelectorAll(".quick-dates[hidden]").forEach(function (group) {
      var input = document.getElementById(group.dataset.dateInput);
      if (!input) {
        return;
      }
      group.hidden = false;
      group.addEventListener("click", function (event) {
        var button = event.target.closest("button[data-days]");
        if (!button) {
          return;
        }
        var date = new Date();
        date.setDate(date.getDate() + Number(button.dataset.days));
        input.value = localIsoDate(date);
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
    });

    document.querySelectorAll("button[data-copy][hidden]").forEach(function (button) {
      var source = document.getElementById(button.dataset.copy);
      if (!source || !navigator.clipboard) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          button.textContent = "Copied";
        });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
