// The investigation page: ticking "every F1", a company or one of its levels ticks the matching people, and
// unticking a person unticks the groups that no longer hold all their people. The server resolves the same
// choices without this script (investigations.selection_people), so the page works with JavaScript off.
(function () {
  "use strict";
  var form = document.getElementById("confirm-form");
  if (!form) return;
  var script = document.currentScript;
  var counter = document.getElementById("picked");
  var people = Array.prototype.slice.call(form.querySelectorAll('input[name="people"]'));
  var groups = Array.prototype.slice.call(form.querySelectorAll("input[data-pick-level], input[data-pick-company]"));

  function holds(group, box) {
    var level = group.getAttribute("data-pick-level");
    var company = group.getAttribute("data-pick-company");
    if (level && box.getAttribute("data-level") !== level) return false;
    if (company && box.closest("ul").getAttribute("data-company") !== company) return false;
    return true;
  }

  function setPerson(value, checked) {
    people.forEach(function (box) { if (box.value === value) box.checked = checked; });
  }

  function count() {
    var chosen = {};
    people.forEach(function (box) { if (box.checked) chosen[box.value] = true; });
    var n = Object.keys(chosen).length;
    counter.textContent = script.getAttribute("data-picked").replace("{n}", n);
    counter.hidden = false;
  }

  groups.forEach(function (group) {
    group.addEventListener("change", function () {
      people.forEach(function (box) { if (holds(group, box)) setPerson(box.value, group.checked); });
      if (!group.checked) {  // a wider group that held these people no longer holds all of them
        groups.forEach(function (other) {
          if (other !== group && other.checked && people.some(function (b) { return holds(group, b) && holds(other, b); })) {
            other.checked = false;
          }
        });
      }
      count();
    });
  });
  people.forEach(function (box) {
    box.addEventListener("change", function () {
      setPerson(box.value, box.checked);
      if (!box.checked) groups.forEach(function (group) { if (holds(group, box)) group.checked = false; });
      count();
    });
  });
  groups.forEach(function (group) {  // a group ticked before a refused confirmation: tick its people again
    if (group.checked) people.forEach(function (box) { if (holds(group, box)) box.checked = true; });
  });
  count();
})();
