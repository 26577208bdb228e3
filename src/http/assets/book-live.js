// Book list and book dashboard: updated in place whenever the server reports a change (Server-Sent Events);
// the browser reconnects by itself after a lost connection. A hidden tab closes its stream (a browser allows
// only a few connections per server over HTTP/1.1, and many open dashboards must not use them all up) and
// opens it again when shown; the server then sends the current state at once.
const root = document.getElementById('book-live');
let events = null;

function connect() {
  if (events) return;
  events = new EventSource(root.dataset.source);
  events.addEventListener('open', () => (root.dataset.live = 'on'));
  events.addEventListener('error', () => (root.dataset.live = 'reconnecting'));
  events.addEventListener('book', (event) => {
    update(event.data);
    root.dataset.updated = String(Number(root.dataset.updated ?? 0) + 1);
  });
}

// Puts the new render in place part by part: a part (top-level element) equal to the one shown stays as it
// is, so what the person opened, typed or selected there stays; a changed part is replaced, and the
// <details> the person opened or closed keep their state. The scroll position is kept either way.
function update(html) {
  const next = document.createElement('div');
  next.innerHTML = html;
  const opened = new Map([...root.querySelectorAll('details[id]')].map((d) => [d.id, d.open]));
  const { scrollX, scrollY } = window;
  const before = [...root.children];
  const after = [...next.children];
  const sameParts = before.length === after.length && before.every((part, i) => part.tagName === after[i].tagName && part.id === after[i].id);
  if (sameParts) {
    before.forEach((part, i) => {
      if (!part.isEqualNode(after[i])) part.replaceWith(after[i]);
    });
  } else {
    root.replaceChildren(...next.childNodes);
  }
  for (const details of root.querySelectorAll('details[id]')) if (opened.has(details.id)) details.open = opened.get(details.id);
  window.scrollTo(scrollX, scrollY);
}

function disconnect() {
  events?.close();
  events = null;
  root.dataset.live = 'paused';
}

document.addEventListener('visibilitychange', () => (document.hidden ? disconnect() : connect()));
if (!document.hidden) connect();
