// Survey entry: a photo chosen here fills its row (file name, the time it was taken as the
// file says, the SHA-256 of its bytes). The image is read in the browser only and never
// sent: the API records the photos' metadata, the images stay in the town's file store.
document.addEventListener("DOMContentLoaded", function () {
  function pad(n) { return String(n).padStart(2, "0"); }
  function local(ms) {
    var d = new Date(ms);
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" +
      pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  document.querySelectorAll("input[type=file][data-photo-row]").forEach(function (input) {
    var row = input.getAttribute("data-photo-row");
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file || !window.crypto || !window.crypto.subtle) { return; }
      document.getElementById("f-photos-" + row + "-file_name").value = file.name;
      document.getElementById("f-photos-" + row + "-taken_at").value = local(file.lastModified);
      file.arrayBuffer().then(function (bytes) {
        return window.crypto.subtle.digest("SHA-256", bytes);
      }).then(function (digest) {
        document.getElementById("f-photos-" + row + "-sha256").value =
          Array.from(new Uint8Array(digest)).map(function (b) {
            return b.toString(16).padStart(2, "0");
          }).join("");
      });
    });
  });
});
