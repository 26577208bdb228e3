// Book list and book dashboard: replaced in place whenever the server reports a change (Server-Sent Events);
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
    root.innerHTML = event.data;
    root.dataset.updated = String(Number(root.dataset.updated ?? 0) + 1);
  });
}

function disconnect() {
  events?.close();
  events = null;
  root.dataset.live = 'paused';
}

document.addEventListener('visibilitychange', () => (document.hidden ? disconnect() : connect()));
if (!document.hidden) connect();
