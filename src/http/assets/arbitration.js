// Arbitration: a double-keying disagreement beside its crop. 1/2/3 choose an opinion while the opinions have the
// focus (as the page opens); Tab goes to the value field, where figures are typed (a date or an ID begins with one:
// "1" there once chose an opinion at the first keystroke), Enter sets it and Esc goes back to the opinions; F2 marks
// it unreadable, F6 says the book's line is empty («Sổ để trống», as on the review screen; refused on the entry number
// and the people's names), F7/F8 show the whole entry or the original scan.
import { postJson } from '/assets/call.js';
import { checkValue } from '/assets/field-rules.js';

const csrf = document.querySelector('meta[name="csrf-token"]').content;
const root = document.getElementById('arbitration');
const crop = document.getElementById('crop');
const title = document.getElementById('entry-title');
const options = document.getElementById('options');
const typed = document.getElementById('typed');
const check = document.getElementById('check');
const message = document.getElementById('message');
let item = null;
let view = 'field';

const call = (url, body) => postJson(url, body, csrf);

function showImage() {
  if (!item) return;
  const img = document.createElement('img');
  img.alt = `Ảnh ${item.label}`;
  img.src = `/review/items/${item.itemId}/image?view=${view}`;
  crop.replaceChildren(img);
}

async function loadNext() {
  root.dataset.state = 'loading';
  const data = await call('/arbitration/next');
  item = data.item;
  typed.value = '';
  check.textContent = '';
  if (!item) {
    root.dataset.state = 'empty';
    title.textContent = 'Không còn trường nào cần phân xử.';
    options.replaceChildren();
    crop.innerHTML = '<span class="hint">Trang sẽ tự kiểm tra lại sau 20 giây.</span>';
    setTimeout(loadNext, 20_000);
    return;
  }
  title.textContent = `${item.title} · ${item.label}`;
  options.replaceChildren(
    ...item.options.map((o, i) => {
      const line = document.createElement('div');
      line.className = 'field';
      line.innerHTML = '<label><kbd></kbd> <span class="who"></span></label><span class="value"></span>';
      line.querySelector('kbd').textContent = String(i + 1);
      line.querySelector('.who').textContent = o.who;
      line.querySelector('.value').textContent = o.value;
      return line;
    }),
  );
  view = 'field';
  showImage();
  root.dataset.state = 'ready';
  options.focus();
}

async function resolve(body) {
  try {
    const data = await call(`/arbitration/items/${item.itemId}`, body);
    message.textContent = data.entryVerified ? 'Đã phân xử; mục đã được kiểm tra xong.' : 'Đã phân xử.';
    await loadNext();
  } catch (error) {
    message.textContent = error.message;
    if (error.code === 'lease_lost') await loadNext();
  }
}

typed.addEventListener('input', () => {
  if (!item || typed.value === '') return (check.textContent = '');
  const result = checkValue(item.field, typed.value, { pivot: item.pivot });
  check.textContent = result.ok ? `→ ${result.display}` : result.message;
  check.className = `check ${result.ok ? 'good' : 'bad'}`;
});

document.addEventListener('keydown', (event) => {
  if (!item) return;
  const index = Number(event.key) - 1;
  const plain = !event.ctrlKey && !event.altKey && !event.metaKey;
  // an opinion is chosen only from the opinions themselves (or the page), never from another control or a shortcut
  const onOpinions = event.target === options || event.target === document.body;
  if (plain && onOpinions && Number.isInteger(index) && index >= 0 && index < item.options.length) {
    event.preventDefault();
    resolve({ choice: item.options[index].choice });
  } else if (event.key === 'Enter' && event.target === typed && typed.value !== '') {
    event.preventDefault();
    const result = checkValue(item.field, typed.value, { pivot: item.pivot });
    if (!result.ok) message.textContent = result.message;
    else resolve({ choice: 'typed', input: typed.value });
  } else if (event.key === 'Escape' && event.target === typed) {
    // the value typed is given up, not left to be sent by a later Enter
    event.preventDefault();
    typed.value = '';
    check.textContent = '';
    options.focus();
  } else if (event.key === 'F2') {
    event.preventDefault();
    resolve({ choice: 'unreadable' });
  } else if (event.key === 'F6') {
    event.preventDefault();
    resolve({ choice: 'blank' });
  } else if (event.key === 'F7' || event.key === 'F8') {
    event.preventDefault();
    const wanted = event.key === 'F7' ? 'entry' : 'original';
    view = view === wanted ? 'field' : wanted;
    showImage();
  }
});

loadNext();
