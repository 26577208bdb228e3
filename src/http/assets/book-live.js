// Book list and book dashboard: replaced in place whenever the server reports a change (Server-Sent Events);
// the browser reconnects by itself after a lost connection.
const root = document.getElementById('book-live');
const events = new EventSource(root.dataset.source);
events.addEventListener('open', () => (root.dataset.live = 'on'));
events.addEventListener('error', () => (root.dataset.live = 'reconnecting'));
events.addEventListener('book', (event) => {
  root.innerHTML = event.data;
  root.dataset.updated = String(Number(root.dataset.updated ?? 0) + 1);
});
