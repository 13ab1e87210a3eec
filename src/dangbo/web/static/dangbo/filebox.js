// core.forms.FileBox: write the chosen files' names beside «Chọn tệp…» (the browser's own text is hidden).
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches(".filebox input[type=file]")) return;
  var names = Array.prototype.map.call(input.files, function (f) { return f.name; });
  input.parentNode.querySelector(".filebox-names").textContent = names.join(", ");
});
