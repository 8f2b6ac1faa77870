// docgen: a little JavaScript over server-rendered pages (everything also works without it, only slower).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) {
        button.disabled = true;
        button.dataset.label = button.textContent;
        button.textContent = form.dataset.busy;
      }
      form.classList.add("busy");
    });
  });
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  document.querySelectorAll("a[data-back]").forEach(function (link) {
    if (window.history.length > 1) {
      link.addEventListener("click", function (event) { event.preventDefault(); window.history.back(); });
    }
  });
  document.querySelectorAll("label.drop input[type=file]").forEach(function (input) {
    input.addEventListener("change", function () {
      var chosen = input.parentElement.querySelector(".chosen");
      if (chosen) { chosen.textContent = input.files.length ? input.files[0].name : "Chưa chọn tệp"; }
    });
  });
  var box = document.getElementById("tien-do");
  if (box) { follow(box); }
});

function follow(box) {
  var id = box.dataset.job;
  var bar = document.getElementById("thanh-tien-do");
  var stage = document.getElementById("buoc");
  var count = document.getElementById("dem");
  var label = document.getElementById("nhan");
  function show(s) {
    bar.value = s.percent;
    bar.textContent = s.percent + "%";
    stage.textContent = s.stage_label;
    count.textContent = s.total ? s.done + "/" + s.total : "";
    label.textContent = s.label || "";
    if (s.status === "xong" || s.status === "loi") {
      window.location.replace("/van-ban?job=" + encodeURIComponent(id));
      return true;
    }
    return false;
  }
  if (window.EventSource) {
    var source = new EventSource("/api/jobs/" + encodeURIComponent(id) + "/events");
    source.onmessage = function (event) { if (show(JSON.parse(event.data))) { source.close(); } };
    source.onerror = function () { source.close(); poll(); };
  } else {
    poll();
  }
  function poll() {
    fetch("/api/jobs/" + encodeURIComponent(id), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (s) { if (!show(s)) { window.setTimeout(poll, 700); } })
      .catch(function () { window.setTimeout(poll, 1500); });
  }
}
