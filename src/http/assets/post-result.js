// This page answers a form sent by POST (an account created, a password reset, …). Reloading it must not send
// the form again: the history entry becomes a plain visit of the page the server names (reload-as).
const address = document.querySelector('meta[name="reload-as"]')?.content;
if (address) history.replaceState(null, '', address);
