// Keying an entry extraction did not find (src/http/keying-routes.ts): each value is checked live with the
// same rules the server applies (field-rules.js), and the time spent keying goes with the form. Keys as on the
// review screen: Enter moves to the next field (it never saves half an entry), Ctrl+Enter saves, F2 marks the
// field unreadable, F6 marks the book's line empty. F3 (the offered value, on the review screen) does nothing here:
// one key, one action on every screen (src/http/keys.ts).
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

const markOf = (input) => input.parentElement.querySelector('select.mark');

if (form) {
  const inputs = [...form.querySelectorAll('input[data-field]')];
  for (const input of inputs) {
    input.addEventListener('input', () => {
      show(input);
      // a value typed is the field's answer: a mark saying it is empty no longer holds
      const mark = markOf(input);
      if (mark && input.value.trim() !== '') mark.value = '';
    });
    show(input);
  }
  form.addEventListener('keydown', (event) => {
    const input = event.target instanceof HTMLInputElement && event.target.dataset.field ? event.target : null;
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    } else if (event.key === 'Enter' && input) {
      event.preventDefault();
      inputs[inputs.indexOf(input) + 1]?.focus();
    } else if (event.key === 'F3') {
      // nothing is offered here; kept from the browser's search so that a habit from review changes nothing
      event.preventDefault();
    } else if ((event.key === 'F2' || event.key === 'F6') && input && markOf(input)) {
      event.preventDefault();
      input.value = '';
      show(input);
      markOf(input).value = event.key === 'F2' ? 'unreadable' : 'blank';
      inputs[inputs.indexOf(input) + 1]?.focus();
    }
  });
  form.addEventListener('submit', () => {
    form.querySelector('input[name="ms"]').value = String(Date.now() - started);
  });
  (form.querySelector('[autofocus]') ?? form.querySelector('input[name="entryNo"]'))?.focus();
}
