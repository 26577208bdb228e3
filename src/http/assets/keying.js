// Keying an entry extraction did not find (src/http/keying-routes.ts): each value is checked live with the
// same rules the server applies (field-rules.js), and the time spent keying goes with the form.
import { checkValue } from '/assets/field-rules.js';

const form = document.getElementById('keying-form');
const started = Date.now();
const pivot = Number(document.querySelector('.keying')?.dataset.year) || new Date().getFullYear();

function show(input) {
  const note = input.parentElement.querySelector('.check');
  const text = input.value.trim();
  if (!note) return;
  if (text === '' || input.name === 'entryNo') {
    note.textContent = input.name === 'entryNo' && text !== '' && !/^\d{1,6}$/.test(text) ? 'Số thứ tự chỉ gồm chữ số.' : '';
    note.className = 'check';
    return;
  }
  const checked = checkValue(input.dataset.field, text, { pivot });
  note.textContent = checked.ok ? (checked.display !== text ? `→ ${checked.display}` : '') : checked.message;
  note.className = checked.ok ? 'check' : 'check warn';
}

if (form) {
  for (const input of form.querySelectorAll('input[data-field]')) {
    input.addEventListener('input', () => show(input));
    show(input);
  }
  form.addEventListener('submit', () => {
    form.querySelector('input[name="ms"]').value = String(Date.now() - started);
  });
  (form.querySelector('[autofocus]') ?? form.querySelector('input[name="entryNo"]'))?.focus();
}
