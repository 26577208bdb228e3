// Match review: L links (same event), K not the same, U unsure (to a supervisor), F4 skip, Ctrl+Z takes the last
// decision back. The machine's probability is shown after the decision, not before (it would anchor the judgement).
import { postJson } from '/assets/call.js';
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const root = document.getElementById('matches');
const crop = document.getElementById('crop');
const title = document.getElementById('entry-title');
const table = document.getElementById('compare');
const explanation = document.getElementById('explanation');
const message = document.getElementById('message');
const waiting = document.getElementById('waiting');
let match = null;
let shownAt = 0;
let lastDecided = null; // the item of the last decision, which Ctrl+Z takes back

const call = (url, body) => postJson(url, body, csrf);

function cell(tag, text, className = '') {
  const el = document.createElement(tag);
  el.textContent = text;
  if (className) el.className = className;
  return el;
}

async function loadNext() {
  root.dataset.state = 'loading';
  const data = await call('/matches/next');
  match = data.match;
  // pairs the person undid after seeing the machine's probability, waiting for someone else (src/review/matches.ts)
  waiting.textContent = [
    data.waitingForOthers ? `${data.waitingForOthers} cặp bạn đã hoàn tác đang chờ người khác quyết định.` : '',
    match?.seenBefore ? 'Cặp này trở lại với bạn (không còn ai khác quyết định được, hoặc đã chờ quá lâu); bạn đã thấy đánh giá của máy về nó trước khi hoàn tác.' : '',
  ].filter(Boolean).join(' ');
  if (!match) {
    root.dataset.state = 'empty';
    title.textContent = 'Không còn cặp nào cần đối chiếu.';
    table.replaceChildren();
    explanation.replaceChildren();
    crop.innerHTML = '<span class="hint">Trang sẽ tự kiểm tra lại sau 20 giây.</span>';
    setTimeout(loadNext, 20_000);
    return;
  }
  title.textContent = match.title;
  const head = document.createElement('tr');
  head.append(cell('th', 'Trường'), cell('th', 'Mục quét'), cell('th', match.otherTitle));
  table.replaceChildren(
    head,
    ...match.rows.map((r) => {
      const tr = document.createElement('tr');
      if (r.differs || r.missing) tr.className = 'differs';
      tr.append(cell('td', r.label), cell('td', r.scanned), cell('td', r.other));
      return tr;
    }),
  );
  // what speaks for the same event first, then what against, each with how strongly in words (not log-odds)
  const strength = (w) => (Math.abs(w) >= 3 ? 'rõ' : Math.abs(w) >= 1 ? 'vừa' : 'ít');
  const said = (c) => cell('li', `${c.label}: ${c.level} (${c.weight >= 0 ? 'giống' : 'khác'}, ${strength(c.weight)})`, c.weight >= 0 ? 'ok' : 'error');
  explanation.replaceChildren(...match.explanation.filter((c) => c.weight >= 0).map(said), ...match.explanation.filter((c) => c.weight < 0).map(said));
  const img = document.createElement('img');
  img.alt = 'Ảnh mục quét';
  img.src = `/matches/items/${match.itemId}/image`;
  crop.replaceChildren(img);
  root.dataset.state = 'ready';
  shownAt = performance.now();
}

async function decide(decision) {
  if (!match || root.dataset.state !== 'ready') return;
  root.dataset.state = 'saving';
  try {
    const itemId = match.itemId;
    const { probability } = await call(`/matches/items/${itemId}`, { decision, ms: Math.round(performance.now() - shownAt) });
    const done = { same: 'Đã liên kết.', different: 'Đã ghi: không phải cùng sự kiện.', unsure: 'Đã chuyển giám sát viên.', skip: 'Đã bỏ qua.' }[decision];
    const undo = cell('button', 'Hoàn tác (Ctrl+Z)');
    undo.type = 'button';
    undo.id = 'undo';
    undo.addEventListener('click', () => takeBack());
    message.replaceChildren(probability === undefined ? `${done} ` : `${done} Máy đánh giá khả năng cùng sự kiện: ${Math.round(probability * 100)} %. `, undo);
    lastDecided = itemId;
  } catch (error) {
    message.textContent = error.message;
  }
  await loadNext();
}

async function takeBack() {
  if (lastDecided === null || root.dataset.state === 'saving') return;
  const itemId = lastDecided;
  lastDecided = null;
  try {
    const { handedOn, seen } = await call(`/matches/items/${itemId}/undo`);
    // a pair whose probability the person has seen is decided by someone else, if anyone else can (src/review/matches.ts undoMatch)
    message.textContent = handedOn
      ? 'Đã hoàn tác: vì bạn đã xem đánh giá của máy, cặp này được chuyển cho người khác quyết định.'
      : seen
        ? 'Đã hoàn tác: trong đơn vị không có ai khác quyết định được cặp này, nên nó lại chờ bạn quyết định.'
        : 'Đã hoàn tác: cặp này lại chờ bạn quyết định.';
  } catch (error) {
    message.textContent = error.message;
  }
  await loadNext();
}

document.addEventListener('keydown', (event) => {
  if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'z') {
    event.preventDefault();
    takeBack();
    return;
  }
  const action = { l: 'same', k: 'different', u: 'unsure', F4: 'skip' }[event.key.length === 1 ? event.key.toLowerCase() : event.key];
  if (action) {
    event.preventDefault();
    decide(action);
  }
});

loadNext();
