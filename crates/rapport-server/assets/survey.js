// The public survey's sliders show their value as they move. The form works
// without this: a range input always sends its value.
document.querySelectorAll('input[type="range"][data-output]').forEach(function (input) {
  var out = document.getElementById(input.getAttribute('data-output'));
  if (!out) return;
  out.hidden = false;
  var show = function () { out.textContent = input.value; };
  input.addEventListener('input', show);
  show();
});
