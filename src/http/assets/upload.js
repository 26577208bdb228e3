// Upload page: files or whole folders by drag and drop or pickers, sent one after another in book order,
// each in resumable chunks with its own progress bar; then each file and its pages are followed until the
// pipeline has a verdict, with every rejection's reason and what to do.
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const CHUNK = 4 * 1024 * 1024;
const bookForm = document.getElementById('book');
const drop = document.getElementById('drop');
const list = document.getElementById('files');
const message = document.getElementById('upload-message');
const knownList = document.getElementById('known-books');
const knownNote = document.getElementById('book-known');
const check = document.getElementById('book-check');

const queue = [];
let running = false;
const followed = new Map(); // uploadId -> row
const sentTo = new Map(); // bookId -> book label, for the links when all is sent
let books = []; // the office's books of the chosen register type

const collator = new Intl.Collator('vi', { numeric: true, sensitivity: 'base' });

function say(text, kind = '') {
  message.textContent = text;
  message.className = kind;
}

// a field marked refused is unmarked as soon as it is changed
bookForm.addEventListener('input', (event) => event.target.removeAttribute('aria-invalid'));

function sizeText(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toLocaleString('vi-VN', { maximumFractionDigits: 1 })} MB` : `${Math.ceil(bytes / 1024)} kB`;
}

function book() {
  const data = new FormData(bookForm);
  const year = String(data.get('year') ?? '').trim();
  return {
    office: data.get('office'),
    registerType: data.get('registerType'),
    bookNo: String(data.get('bookNo') ?? '').trim(),
    year: year ? Number(year) : null,
    placeByNumbers: data.get('placeByNumbers') === 'on',
  };
}

async function api(method, url, body, headers = {}) {
  const response = await fetch(url, {
    method,
    headers: { 'x-csrf-token': csrf, ...(body instanceof Blob ? { 'content-type': 'application/octet-stream' } : body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body instanceof Blob ? body : body ? JSON.stringify(body) : undefined,
  });
  const data = await response.json().catch(() => ({}));
  return { ok: response.ok, status: response.status, data };
}

function bookLink(bookId) {
  const link = document.createElement('a');
  link.href = `/books/${bookId}`;
  link.className = 'book-link';
  link.textContent = 'Xem sổ';
  return link;
}

// The office's books of this register type, offered as the book number is typed.
async function loadBooks() {
  const { office, registerType } = book();
  const { ok, data } = await api('GET', `/upload/books?${new URLSearchParams({ office, type: registerType })}`).catch(() => ({ ok: false }));
  books = ok ? data.books : [];
  knownList.replaceChildren(
    ...books.map((b) => {
      const option = document.createElement('option');
      option.value = b.bookNo;
      option.label = b.label;
      return option;
    }),
  );
  describeTarget();
}

// A book number without leading zeros, lower case: "2" and "02" are one number (src/db/books.ts normalBookNo).
const normalBookNo = (text) => text.trim().toLowerCase().replace(/^0+(?=\d)/, '');

// Says whether the files go to an existing book or make a new one, before anything is sent: the book as typed, or
// the one book of the year with the same number but for leading zeros (where the server sends the files).
function describeTarget() {
  const target = book();
  const sameYear = books.filter((b) => normalBookNo(b.bookNo) === normalBookNo(target.bookNo) && b.yearFrom === target.year);
  const existing = sameYear.find((b) => b.bookNo === target.bookNo) ?? (sameYear.length === 1 ? sameYear[0] : null);
  knownNote.textContent = !target.bookNo ? '' : existing ? `Tải vào sổ có sẵn: ${existing.label}.` : 'Sổ này chưa có: sổ mới sẽ được tạo khi tải lên.';
}

// A book number picked from the list brings its year when the number has only one book.
function fillYear() {
  const target = book();
  const same = books.filter((b) => b.bookNo === target.bookNo);
  const year = bookForm.querySelector('[name="year"]');
  if (same.length === 1 && !year.value && same[0].yearFrom !== null) year.value = String(same[0].yearFrom);
  describeTarget();
}

/**
 * The book the files go to. When the typed number and year only nearly match existing books ("2" for "02",
 * no year for 2000), the person chooses: one of those books, a new book as typed, or neither (null).
 */
async function chooseBook(target) {
  const query = new URLSearchParams({ office: target.office, type: target.registerType, bookNo: target.bookNo, ...(target.year ? { year: String(target.year) } : {}) });
  const { ok, data } = await api('GET', `/upload/book-check?${query}`).catch(() => ({ ok: false }));
  if (!ok || data.exact || data.similar.length === 0) return target;
  return new Promise((resolve) => {
    const question = check.querySelector('#book-check-question');
    question.textContent = data.similar.length === 1 ? data.similar[0].question : `Đã có ${data.similar.length} sổ gần giống ${data.newLabel} — tải vào sổ nào?`;
    const button = (text, onClick) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = text;
      b.addEventListener('click', () => {
        check.hidden = true;
        onClick();
      });
      return b;
    };
    check.querySelector('.choices').replaceChildren(
      ...data.similar.map((b) =>
        button(`Tải vào sổ ${b.label}`, () => {
          bookForm.querySelector('[name="bookNo"]').value = b.bookNo;
          bookForm.querySelector('[name="year"]').value = b.yearFrom === null ? '' : String(b.yearFrom);
          describeTarget();
          resolve({ ...target, bookNo: b.bookNo, year: b.yearFrom });
        }),
      ),
      // the server refuses a nearly equal number unless the person chose a new book here
      button(`Tạo sổ mới: ${data.newLabel}`, () => resolve({ ...target, newBook: true })),
      button('Huỷ', () => resolve(null)),
    );
    check.hidden = false;
    check.querySelector('button').focus();
  });
}

function addRow(file, path) {
  const row = document.createElement('div');
  row.className = 'file';
  row.innerHTML = '<span class="name"></span><progress max="1" value="0"></progress><span class="state">Chờ gửi</span><div class="pages hint"></div>';
  row.querySelector('.name').textContent = `${path} (${sizeText(file.size)})`;
  list.append(row);
  return row;
}

function setState(row, text, kind = '') {
  const state = row.querySelector('.state');
  state.textContent = text;
  state.className = `state ${kind}`;
}

async function sendFile(item) {
  const { file, row, target } = item;
  setState(row, 'Đang gửi…');
  const start = await api('POST', '/upload/transfers', { ...target, fileName: file.name, bytes: file.size });
  if (!start.ok) {
    // a refused book field is marked in the form, which keeps what was typed, with the refusal beside it
    const field = start.data.field && bookForm.querySelector(`[name="${start.data.field}"]`);
    if (field) {
      field.setAttribute('aria-invalid', 'true');
      say(start.data.message, 'error');
      field.focus();
    }
    return setState(row, start.data.message ?? 'Không gửi được.', 'error');
  }
  let received = start.data.received;
  if (received > 0) setState(row, `Tiếp tục từ ${sizeText(received)}…`);
  const bar = row.querySelector('progress');
  let failures = 0;
  while (received < file.size) {
    bar.value = received / file.size;
    const chunk = file.slice(received, Math.min(file.size, received + CHUNK));
    let sent;
    try {
      sent = await api('PUT', `/upload/transfers/${start.data.id}?offset=${received}`, chunk);
    } catch {
      sent = { ok: false, status: 0, data: {} };
    }
    if (sent.ok || sent.status === 409) {
      received = sent.data.received;
      failures = 0;
      continue;
    }
    if (++failures > 5) return setState(row, 'Mất kết nối. Chọn lại tệp này để tải tiếp từ chỗ đã dừng.', 'error');
    setState(row, `Mất kết nối, thử lại (${failures})…`, 'warn');
    await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** failures));
  }
  bar.value = 1;
  const done = await api('POST', `/upload/transfers/${start.data.id}/finish`);
  if (!done.ok) return setState(row, done.data.message ?? 'Không hoàn tất được.', 'error');
  row.dataset.uploadId = String(done.data.uploadId);
  row.querySelector('.name').append(' · ', bookLink(done.data.bookId));
  sentTo.set(done.data.bookId, true);
  if (done.data.status === 'rejected') setState(row, `Bị từ chối: ${done.data.message}`, 'error');
  else if (done.data.status === 'duplicate') setState(row, 'Tệp này đã được tải lên trước đó; không xử lý lại.', 'warn');
  else {
    setState(row, 'Đã nhận, đang xử lý…');
    followed.set(done.data.uploadId, row);
  }
}

async function run() {
  if (running) return;
  running = true;
  while (queue.length) await sendFile(queue.shift());
  running = false;
  say('Đã gửi xong. Trạng thái từng trang được cập nhật bên dưới. ', 'ok');
  for (const bookId of sentTo.keys()) message.append(bookLink(bookId), ' ');
  sentTo.clear();
  loadBooks();
}

async function enqueue(entries) {
  const typed = book();
  if (!typed.bookNo) {
    say('Hãy nhập quyển số trước khi chọn tệp.', 'error');
    bookForm.querySelector('[name="bookNo"]').focus();
    return;
  }
  if (!check.hidden) return say('Hãy trả lời câu hỏi về sổ ở trên trước khi chọn thêm tệp.', 'error');
  say('');
  const target = await chooseBook(typed);
  if (!target) return say('Chưa tải lên tệp nào. Sửa quyển số hoặc năm rồi chọn lại tệp.', 'warn');
  // Book order is the order of the pages: natural order of the paths (trang2 before trang10).
  entries.sort((a, b) => collator.compare(a.path, b.path));
  for (const { file, path } of entries) queue.push({ file, row: addRow(file, path), target });
  run();
}

for (const name of ['office', 'registerType']) bookForm.querySelector(`[name="${name}"]`).addEventListener('change', loadBooks);
bookForm.querySelector('[name="bookNo"]').addEventListener('change', fillYear);
for (const name of ['bookNo', 'year']) bookForm.querySelector(`[name="${name}"]`).addEventListener('input', describeTarget);
loadBooks();

async function readEntry(entry, prefix, out) {
  if (entry.isFile) {
    out.push({ file: await new Promise((resolve, reject) => entry.file(resolve, reject)), path: prefix + entry.name });
  } else if (entry.isDirectory) {
    const reader = entry.createReader();
    for (;;) {
      const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) break;
      for (const child of batch) await readEntry(child, `${prefix}${entry.name}/`, out);
    }
  }
}

drop.addEventListener('dragover', (event) => {
  event.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', async (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  const entries = [...event.dataTransfer.items].map((i) => i.webkitGetAsEntry?.()).filter(Boolean);
  const out = [];
  if (entries.length) for (const entry of entries) await readEntry(entry, '', out);
  else for (const file of event.dataTransfer.files) out.push({ file, path: file.name });
  enqueue(out.filter((f) => !f.file.name.startsWith('.')));
});
for (const id of ['pick-files', 'pick-folder']) {
  const input = document.getElementById(id);
  input.addEventListener('change', () => {
    enqueue([...input.files].filter((f) => !f.name.startsWith('.')).map((file) => ({ file, path: file.webkitRelativePath || file.name })));
    input.value = '';
  });
}

const READ = new Set(['ocr_done', 'extracted', 'matched', 'routed']);
const FINAL = new Set(['ocr_done', 'extracted', 'matched', 'routed', 'needs_rescan', 'replaced', 'blank', 'rejected', 'duplicate', 'failed']);
async function follow() {
  if (followed.size) {
    const { ok, data } = await api('GET', `/upload/status?ids=${[...followed.keys()].join(',')}`).catch(() => ({ ok: false }));
    if (ok) {
      for (const upload of data.uploads) {
        const row = followed.get(upload.id);
        if (!row) continue;
        const bad = ['rejected', 'failed'].includes(upload.status);
        setState(row, bad ? `${upload.statusName}: ${upload.message ?? ''}` : upload.statusName, bad ? 'error' : '');
        const pages = row.querySelector('.pages');
        pages.replaceChildren(
          ...upload.pages.map((p) => {
            const line = document.createElement('div');
            line.dataset.status = p.status;
            line.textContent = `${p.label}: ${p.statusName}${p.message ? ` – ${p.message}` : ''}`;
            if (['needs_rescan', 'rejected', 'failed'].includes(p.status)) line.className = 'error';
            return line;
          }),
        );
        const settled = bad || upload.status === 'duplicate' || (upload.pages.length > 0 && upload.pages.every((p) => FINAL.has(p.status)));
        if (settled) {
          followed.delete(upload.id);
          if (!bad) {
            const read = upload.pages.filter((p) => READ.has(p.status)).length;
            const total = upload.pages.length;
            if (read === total) setState(row, `Đã đọc xong ${total} trang.`, 'ok');
            else setState(row, `Đã có kết quả ${total} trang: ${read} trang đã đọc, ${total - read} trang cần xem bên dưới.`, 'warn');
          }
        }
      }
    }
  }
  setTimeout(follow, 2000);
}
follow();
