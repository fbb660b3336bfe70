/* Show-if for questions that depend on an answer on the same page (progressive enhancement).
   A question marked data-show-if="KEY" data-show-values="a b" is shown only while the answer
   to KEY is one of the values; the server decides again on submit. */
(function () {
  "use strict";
  var form = document.querySelector("[data-show-if]") && document.querySelector("[data-show-if]").closest("form");
  if (!form) { return; }

  function chosen(key) {
    var values = [];
    var inputs = form.querySelectorAll("[name='" + key + "']");
    inputs.forEach(function (input) {
      var wrapper = input.closest(".question");
      if (wrapper && wrapper.hidden) { return; }
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) { return; }
      if (input.value) { values.push(input.value); }
    });
    return values;
  }

  function update() {
    form.querySelectorAll("[data-show-if]").forEach(function (question) {
      var wanted = question.getAttribute("data-show-values").split(" ");
      var shown = chosen(question.getAttribute("data-show-if")).some(function (value) {
        return wanted.indexOf(value) !== -1;
      });
      question.hidden = !shown;
    });
  }

  form.addEventListener("change", update);
  update();
})();
