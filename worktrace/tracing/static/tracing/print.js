// "Print" buttons (data-print): a file, not an inline handler, because the Content-Security-Policy refuses those.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
