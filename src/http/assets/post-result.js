// This page answers a form sent by POST (an account created, a password reset, …). Reloading it must not send
// the form again, so the history entry becomes a plain visit of the same address.
history.replaceState(null, '', location.pathname + location.search);
