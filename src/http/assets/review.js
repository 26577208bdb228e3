// Review screen: one entry's flagged fields at a time, keyboard only. Enter accepts (or saves what was
// typed), typing replaces, F2 unreadable, F4 skip, F6 the book's line is empty («Sổ để trống», stored as keying
// stores it), Esc restores, Tab/Shift+Tab move, F7/F8/F9 views, Ctrl+Z takes the last decision back («Hoàn tác»).
import { postJson } from '/assets/call.js';
import { checkValue } from '/assets/field-rules.js';

const csrf = document.querySelector('meta[name="csrf-token"]').content;
const root = document.getElementById('review');
const form = document.getElementById('fields');
const crop = document.getElementById('crop');
const title = document.getElementById('entry-title');
const message = document.getElementById('message');
const statsLine = document.getElementById('stats');
const undoLine = document.getElementById('undo-line');

let entry = null;
let current = -1;
let view = 'field';
const spent = new Map(); // itemId -> ms with focus so far
let focusedAt = 0;
let saving = Promise.resolve();
// the verifier's last decision, offered to be taken back (src/review/undo.ts): { itemId, label }
let lastDecided = null;
// fields the verifier has typed in (even back to the machine's value): Ctrl+Z there undoes the typing, not a decision
const typed = new WeakSet();
// which screen is shown: an entry asked for before an undo brought another back is not shown
let screenSeq = 0;
let emptyTimer = 0;

const call = (url, body) => postJson(url, body, csrf);

function say(text, kind = '') {
  message.textContent = text;
  message.className = kind;
}

function showStats(s) {
  if (!s) return;
  const perField = s.medianMsToday === null ? '–' : (s.medianMsToday / 1000).toLocaleString('vi-VN', { maximumFractionDigits: 1 });
  statsLine.textContent = `Hôm nay: ${s.fieldsToday} trường · trung vị ${perField} giây/trường · ${s.itemsLastHour} trường/giờ (60 phút qua) · còn ${s.queued} trường chờ kiểm tra`;
}

function inputs() {
  return [...form.querySelectorAll('input')];
}

function showImage() {
  const item = entry?.items[current];
  if (!item) return;
  if (!item.hasBox && view === 'field') {
    crop.innerHTML = '<span class="hint">Không có vị trí của trường này trên ảnh. Bấm F7 để xem cả mục.</span>';
    return;
  }
  const img = document.createElement('img');
  img.alt = `Ảnh ${item.label}`;
  img.src = `/review/items/${item.itemId}/image?view=${view}`;
  crop.replaceChildren(img);
}

function liveCheck(index) {
  const item = entry.items[index];
  const box = form.querySelector(`[data-index="${index}"]`);
  const input = box.querySelector('input');
  const out = box.querySelector('.check');
  if (input.value === item.machine && item.machine !== '') {
    out.textContent = item.conflict ? 'Giữ giá trị đã xác minh (Enter để giữ).' : 'Giữ giá trị máy đọc (Enter để chấp nhận).';
    out.className = 'check';
    return;
  }
  const result = checkValue(item.field, input.value, { pivot: entry.pivot });
  out.textContent = result.ok ? `→ ${result.display}` : result.message;
  out.className = `check ${result.ok ? 'good' : 'bad'}`;
}

// Suggestions while typing (name frequencies, the dated gazetteer), fetched after a short pause.
let suggestTimer = 0;
function suggest(item, input, list) {
  clearTimeout(suggestTimer);
  suggestTimer = setTimeout(async () => {
    const query = new URLSearchParams({ field: item.field, q: input.value, year: String(entry.pivot) });
    const response = await fetch(`/review/suggest?${query}`).catch(() => null);
    if (!response?.ok) return;
    const { suggestions } = await response.json();
    list.replaceChildren(...suggestions.map((s) => Object.assign(document.createElement('option'), { value: s })));
  }, 150);
}

function stopClock() {
  const item = entry?.items[current];
  if (item && focusedAt) spent.set(item.itemId, (spent.get(item.itemId) ?? 0) + (performance.now() - focusedAt));
  focusedAt = 0;
}

function focusItem(index) {
  const target = form.querySelector(`[data-index="${index}"] input`);
  if (target) target.focus();
}

function nextOpen(from) {
  const n = entry.items.length;
  for (let step = 1; step <= n; step++) {
    const i = (from + step) % n;
    if (!entry.items[i].decided) return i;
  }
  return -1;
}

function render() {
  title.textContent = entry.title;
  form.replaceChildren(
    ...entry.items.map((item, index) => {
      const box = document.createElement('div');
      box.className = 'field';
      box.dataset.index = String(index);
      const id = `f-${item.itemId}`;
      const reasons = item.reasons.length ? item.reasons.join(' ') : '';
      box.innerHTML = `<label for="${id}"></label><input id="${id}" name="${item.field}" spellcheck="false" list="${id}-list"><datalist id="${id}-list"></datalist>
<span></span><span class="machine"></span><span class="existing"></span><span class="conflict"></span><span class="reasons"></span><span class="check" aria-live="polite"></span>`;
      box.querySelector('label').textContent = item.label;
      const input = box.querySelector('input');
      input.value = item.machine;
      box.querySelector('.machine').textContent = item.blind
        ? 'Nhập độc lập: gõ đúng như trên ảnh (hai người nhập, không thấy giá trị của nhau).'
        : item.conflict
          ? `Giá trị đã xác minh${item.conflict.verifiedBy ? ` (bởi ${item.conflict.verifiedBy})` : ''}: ${item.machine === '' ? 'không đọc được' : item.machine}`
          : item.machine === ''
          ? 'Máy không đọc được giá trị.'
          : item.corrected !== null
          ? `Máy đọc: ${item.corrected} → máy sửa thành: ${item.machine}`
          : `Máy đọc: ${item.machine}`;
      // a year worked out from the age the book states: the age beside it, to check against the image
      if (item.statedAge !== null && item.statedAge !== undefined) {
        box.querySelector('.machine').textContent += ` (sổ ghi ${item.statedAge} tuổi; năm sinh tính từ tuổi)`;
      }
      if (item.blind) box.classList.add('blind');
      box.querySelector('.existing').textContent = item.suggestion ? `Hồ sơ điện tử ${item.suggestion.sourceId}: ${item.suggestion.value} (F3: xác nhận theo hồ sơ)` : '';
      if (item.conflict) {
        box.classList.add('has-conflict');
        box.querySelector('.conflict').textContent = `Lần đọc lại của máy: ${item.conflict.reread === '' ? 'không đọc được giá trị' : item.conflict.reread}. `
          + 'Giá trị này khác với giá trị đã xác minh và chưa được áp dụng. Hãy so với ảnh: Enter giữ giá trị đã xác minh, '
          + `${item.conflict.reread === '' ? '' : 'F3 lấy giá trị đọc lại, '}hoặc gõ giá trị đúng.`;
      }
      box.querySelector('.reasons').textContent = reasons;
      input.addEventListener('focus', () => {
        stopClock();
        current = index;
        focusedAt = performance.now();
        form.querySelectorAll('.field').forEach((f) => f.classList.toggle('current', f === box));
        input.select(); // typing replaces the machine's value
        view = 'field';
        crop.classList.remove('zoomed');
        showImage();
        liveCheck(index);
      });
      input.addEventListener('blur', stopClock);
      input.addEventListener('input', (event) => {
        // the browser's own undo back to the machine's value leaves nothing typed to undo
        if (event.inputType === 'historyUndo' && input.value === entry.items[index].machine) typed.delete(input);
        else typed.add(input);
        liveCheck(index);
        suggest(item, input, box.querySelector('datalist'));
      });
      return box;
    }),
  );
  root.dataset.state = 'ready';
  focusItem(nextOpen(-1));
}

async function loadNext(resume = false) {
  root.dataset.state = 'loading';
  entry = null;
  current = -1;
  clearTimeout(emptyTimer);
  const seq = ++screenSeq;
  try {
    const data = await call('/review/next', resume ? { resume: true } : undefined);
    if (seq !== screenSeq) return;
    // the held entry's lease lapsed before the screen asked: back to looking, nothing claimed
    if (data.lapsed) return location.reload();
    showStats(data.stats);
    if (!data.entry) {
      root.dataset.state = 'empty';
      title.textContent = 'Không còn mục nào cần kiểm tra.';
      form.replaceChildren();
      crop.innerHTML = '<span class="hint">Hàng đợi trống. Trang sẽ tự kiểm tra lại sau 20 giây.</span>';
      emptyTimer = setTimeout(loadNext, 20_000);
      return;
    }
    entry = data.entry;
    entry.items.forEach((item) => (item.decided = false));
    render();
  } catch (error) {
    root.dataset.state = 'error';
    say(error.message, 'error');
  }
}

async function decide(action) {
  const item = entry?.items[current];
  if (!item || item.decided) return;
  const box = form.querySelector(`[data-index="${current}"]`);
  const input = box.querySelector('input');
  if (action === 'enter') {
    if (input.value === item.machine && item.machine !== '') action = 'accept';
    else {
      const result = checkValue(item.field, input.value, { pivot: entry.pivot });
      if (!result.ok) {
        say(result.message, 'error');
        return;
      }
      action = 'correct';
    }
  }
  stopClock();
  const ms = Math.round(spent.get(item.itemId) ?? 0);
  const index = current;
  // Move on at once, so keys typed while the decision is being saved land in the next field, not this one.
  item.decided = true;
  input.readOnly = true;
  const next = nextOpen(index);
  if (next !== -1) focusItem(next);
  // Decisions are saved one after another, in the order they were made.
  // a place the server found cut short is sent again, unchanged, only as the verifier's confirmation that the book says so
  const confirmPlace = item.placeWarned !== undefined && item.placeWarned === input.value;
  // Ctrl+Z from now on means this decision, even before the server has stored it (the undo waits for the save):
  // pressed at once, it must not take back the decision before
  // (a skip is not taken back: the field goes back to the queue by itself, so nothing is offered for it)
  const previous = lastDecided;
  const offered = offerUndo(action === 'skip' ? null : item);
  const saved = saving.then(() => call(`/review/items/${item.itemId}`, { action, input: input.value, ms, ...(confirmPlace ? { confirmPlace } : {}) }));
  saving = saved.catch(() => {});
  try {
    const data = await saved;
    showStats(data.stats);
    say(data.keyed === 'disagreed' ? 'Hai lần nhập khác nhau: giám sát viên sẽ phân xử.' : '');
    box.classList.add(action === 'unreadable' ? 'unreadable' : action === 'skip' ? 'skipped' : action === 'blank' ? 'blank' : 'done');
    if (action === 'correct') input.value = checkValue(item.field, input.value, { pivot: entry.pivot }).display;
    if (action === 'existing') input.value = item.suggestion.value;
    if (action === 'rerun') input.value = item.conflict.reread;
    if (action === 'skip') input.value = item.machine;
    if (action === 'blank') {
      input.value = '';
      input.placeholder = 'Sổ để trống';
    }
    // the hint under the field says what was stored, not the machine's reading it offered before
    const mark = { blank: 'Sổ để trống', unreadable: 'Không đọc được' }[action];
    if (mark) {
      const out = box.querySelector('.check');
      out.textContent = `Đã lưu: ${mark}.`;
      out.className = 'check';
    }
    input.disabled = true;
    if (next === -1) {
      say(data.entryVerified ? 'Mục đã được kiểm tra xong.' : 'Đã xong các trường của mục này.', 'ok');
      await loadNext();
    }
  } catch (error) {
    say(error.message, 'error');
    // nothing was stored: the decision before is again the one to take back, whether this one was offered or, a skip,
    // withdrew the offer; unless the offer changed meanwhile (an undo was asked, or a later field decided)
    if (lastDecided === offered) offerUndo(previous);
    if (error.code === 'place_cut_short') item.placeWarned = input.value;
    if (error.code === 'lease_lost') await loadNext();
    else {
      item.decided = false;
      input.readOnly = false;
      focusItem(index);
      // the server's refusal beside the field too (after the focus, whose live check would replace it)
      const out = box.querySelector('.check');
      out.textContent = error.message;
      out.className = 'check bad';
    }
  }
}

// Returns what is now offered (null: nothing), for a save that fails to tell whether the offer is still its own.
function offerUndo(item) {
  lastDecided = item ? { itemId: item.itemId, label: item.label } : null;
  if (!item) {
    undoLine.replaceChildren();
    return null;
  }
  const button = Object.assign(document.createElement('button'), { type: 'button', id: 'undo', textContent: `Hoàn tác «${item.label}» (Ctrl+Z)` });
  button.addEventListener('click', () => takeBack());
  undoLine.replaceChildren(button);
  return lastDecided;
}

// The field comes back open, with the focus: on the entry shown, or on its entry brought back (the one shown
// meanwhile goes back to the queue).
function reopen(data, itemId) {
  clearTimeout(emptyTimer);
  screenSeq++;
  const index = entry?.entryId === data.entryId ? entry.items.findIndex((i) => i.itemId === itemId) : -1;
  const fresh = data.items.find((i) => i.itemId === itemId);
  if (index === -1 || !fresh) {
    entry = data;
    entry.items.forEach((item) => (item.decided = false));
    render();
  } else {
    entry.items[index] = { ...fresh, decided: false };
    const box = form.querySelector(`[data-index="${index}"]`);
    box.classList.remove('done', 'unreadable', 'skipped', 'blank');
    const input = box.querySelector('input');
    Object.assign(input, { disabled: false, readOnly: false, value: fresh.machine, placeholder: '' });
    typed.delete(input);
    root.dataset.state = 'ready';
  }
  focusItem(entry.items.findIndex((i) => i.itemId === itemId));
}

async function takeBack() {
  const last = lastDecided;
  if (!last) return;
  offerUndo(null);
  await saving;
  try {
    const data = await call(`/review/items/${last.itemId}/undo`);
    showStats(data.stats);
    if (!data.entry) return loadNext();
    reopen(data.entry, last.itemId);
    say(`Đã hoàn tác: trường «${last.label}» lại chờ bạn quyết định.`, 'ok');
  } catch (error) {
    say(error.message, 'error');
  }
}

// Ctrl+Z takes the last decision back, wherever the focus is; in a field the verifier has typed in it undoes the
// typing (the browser's own undo), whatever was typed: a retyped machine's value is typing too.
document.addEventListener('keydown', (event) => {
  if (!(event.ctrlKey || event.metaKey) || event.shiftKey || event.key.toLowerCase() !== 'z' || !lastDecided) return;
  const typing = event.target instanceof HTMLInputElement && !event.target.readOnly && !event.target.disabled && typed.has(event.target);
  if (typing) return;
  event.preventDefault();
  takeBack();
});

form.addEventListener('submit', (event) => event.preventDefault());
form.addEventListener('keydown', (event) => {
  if (!entry || current < 0) return;
  const input = form.querySelector(`[data-index="${current}"] input`);
  const handled = {
    Enter: () => decide('enter'),
    F2: () => decide('unreadable'),
    // The offered value: a re-run's conflicting reading first, else the linked existing record's.
    F3: () => (entry.items[current].conflict?.reread ? decide('rerun') : entry.items[current].suggestion && decide('existing')),
    F4: () => decide('skip'),
    F6: () => decide('blank'),
    // Tab and Shift+Tab go round the fields still open: Shift+Tab from the first field went on to «Đăng xuất»,
    // which Enter then pressed
    Tab: () => {
      const open = [...form.querySelectorAll('input:not(:disabled):not([readonly])')];
      const at = open.indexOf(input);
      open[(at + (event.shiftKey ? -1 : 1) + open.length) % open.length]?.focus();
    },
    Escape: () => {
      input.value = entry.items[current].machine;
      typed.delete(input);
      input.select();
      liveCheck(current);
    },
    F7: () => {
      view = view === 'entry' ? 'field' : 'entry';
      showImage();
    },
    F8: () => {
      view = view === 'original' ? 'field' : 'original';
      showImage();
    },
    F9: () => crop.classList.toggle('zoomed'),
  }[event.key];
  if (handled) {
    event.preventDefault();
    handled();
  }
});

// A supervisor's or an admin's screen opens looking (src/http/review-routes.ts): nothing is held until they start.
const start = document.getElementById('start-review');
if (start) {
  start.addEventListener('click', () => loadNext());
  start.focus();
} else loadNext(root.dataset.resume === '1');
