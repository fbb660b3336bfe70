/* The battery builder's progressive enhancement; every page works without it.
   - Question editor: the preview beside the fields follows the typing (the server renders it),
     and the condition's answers follow the chosen question without a round trip.
   - Battery page: drag a question or a section to move it (the buttons stay for keyboards). */
(function () {
  "use strict";

  var editor = document.getElementById("question-editor");
  if (editor) {
    var preview = document.getElementById("question-preview");
    var timer = null;
    var refresh = function () {
      var data = new FormData(editor);
      fetch(editor.getAttribute("data-preview-url"), { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html !== null) { preview.innerHTML = html; } });
    };
    var later = function () { clearTimeout(timer); timer = setTimeout(refresh, 250); };
    editor.addEventListener("input", later);
    editor.addEventListener("change", later);

    var select = editor.querySelector("[name='show_if_question']");
    var groups = editor.querySelectorAll(".condition-answers");
    editor.querySelectorAll(".js-hidden").forEach(function (element) { element.hidden = true; });
    if (select) {
      select.addEventListener("change", function () {
        groups.forEach(function (group) {
          var shown = group.getAttribute("data-target") === select.value;
          group.hidden = !shown;
          group.disabled = !shown;
        });
      });
    }
  }

  /* Drag and drop: each draggable item carries the form that moves it (data-place-form);
     dropping on another item puts the dragged one before it, on a section's list at its end. */
  var dragged = null;
  document.querySelectorAll("[data-drag]").forEach(function (item) {
    item.setAttribute("draggable", "true");
    item.addEventListener("dragstart", function (event) {
      dragged = item;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", item.id);
      event.stopPropagation();
    });
  });
  document.querySelectorAll("[data-drop]").forEach(function (target) {
    target.addEventListener("dragover", function (event) {
      if (dragged && dragged.getAttribute("data-drag") === target.getAttribute("data-drop")) {
        event.preventDefault();
        event.stopPropagation();
      }
    });
    target.addEventListener("drop", function (event) {
      if (!dragged || dragged.getAttribute("data-drag") !== target.getAttribute("data-drop")) { return; }
      event.preventDefault();
      event.stopPropagation();
      var form = document.getElementById(dragged.getAttribute("data-place-form"));
      form.querySelector("[name='before']").value = target.getAttribute("data-before") || "";
      var section = form.querySelector("[name='section']");
      if (section && target.getAttribute("data-section")) { section.value = target.getAttribute("data-section"); }
      form.submit();
    });
  });
})();
