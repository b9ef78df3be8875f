// The CAS console's only client code: the queue's live update (polling its JSON endpoint every 5 s with the ETag of
// the last answer, and swapping in the rows the server rendered and escaped; a 304 means nothing changed).
// Everything else is plain forms and links.
/* global document, window */
(function () {
  'use strict';
  var live = document.querySelector('[data-poll]');
  var rows = document.getElementById('queue-rows');
  if (!live || !rows) return;
  var url = live.getAttribute('data-poll') + window.location.search;
  var stamp = document.getElementById('updated');
  var busy = false;
  var etag = null;
  function refresh() {
    if (busy || document.hidden) return;
    busy = true;
    var headers = { accept: 'application/json' };
    if (etag) headers['if-none-match'] = etag;
    fetch(url, { credentials: 'same-origin', cache: 'no-store', headers: headers })
      .then(function (res) {
        if (res.status === 401) { window.location.reload(); return null; }
        if (res.status === 304) {
          if (stamp) stamp.textContent = new Date().toLocaleTimeString();
          return null;
        }
        if (res.ok) etag = res.headers.get('etag');
        return res.ok ? res.json() : null;
      })
      .then(function (data) {
        if (!data) return;
        rows.innerHTML = data.rows;
        live.setAttribute('data-count', String(data.count));
        if (stamp) stamp.textContent = new Date(data.at).toLocaleTimeString();
      })
      .catch(function () { /* the next poll tries again */ })
      .then(function () { busy = false; });
  }
  window.setInterval(refresh, 5000);
  document.addEventListener('visibilitychange', refresh);
})();
