// The certificate page's print button: prints the PDF shown in the preview frame (same
// origin, so the frame's window is ours to print); without this script the button stays
// hidden and the "open to print" link remains.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button[data-print-frame]").forEach(function (button) {
    var frame = document.getElementById(button.getAttribute("data-print-frame"));
    if (!frame) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      try {
        frame.contentWindow.focus();
        frame.contentWindow.print();
      } catch (e) {
        window.open(frame.src, "_blank", "noopener");
      }
    });
  });
});
