/**
 * The interface's one script, served as a file (the CSP allows no inline script). Without it
 * every page still works: filters submit as forms, snippets can be selected by hand. With it,
 * the package list filters as you type, copy buttons copy, and "/" jumps to the search box.
 * Written as plain ES2017 in a string: the browser runs it as it is, with no build step.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var status = document.getElementById('live-status');
  function say(text) { if (status) { status.textContent = ''; setTimeout(function () { status.textContent = text; }, 30); } }

  // Copy buttons: the text of the element the button names.
  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      var target = document.getElementById(button.getAttribute('data-copy'));
      if (!target || !navigator.clipboard) return;
      navigator.clipboard.writeText(target.textContent).then(function () {
        // The first text node is the visible word; the hidden rest names what is copied.
        var word = button.firstChild;
        word.nodeValue = 'Copied';
        say('Copied to the clipboard');
        setTimeout(function () { word.nodeValue = 'Copy'; }, 1500);
      }, function () { say('Copying was refused by the browser'); });
    });
  });

  // Filters that apply as you type: fetch the same page and swap in its results.
  var form = document.querySelector('form[data-live]');
  if (form) {
    var results = document.getElementById(form.getAttribute('data-live'));
    var timer = 0;
    var serial = 0;
    var apply = function () {
      var params = new URLSearchParams(new FormData(form));
      params.delete('page');
      Array.from(params.keys()).forEach(function (key) { if (!params.get(key)) params.delete(key); });
      var url = form.getAttribute('action') + (params.toString() ? '?' + params.toString() : '');
      var mine = ++serial;
      fetch(url, { headers: { accept: 'text/html' }, credentials: 'same-origin' }).then(function (response) {
        return response.ok ? response.text() : Promise.reject(new Error(String(response.status)));
      }).then(function (text) {
        if (mine !== serial) return;
        var fresh = new DOMParser().parseFromString(text, 'text/html').getElementById(results.id);
        if (!fresh) return;
        results.replaceChildren.apply(results, Array.from(fresh.childNodes).map(function (node) { return document.importNode(node, true); }));
        history.replaceState(null, '', url);
        var count = results.querySelector('[data-count]');
        if (count) say(count.textContent);
      }).catch(function () { /* the form still works when submitted */ });
    };
    form.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(apply, 180); });
    form.addEventListener('change', function () { clearTimeout(timer); timer = setTimeout(apply, 0); });
  }

  // "/" focuses the search box, as on most sites with one.
  document.addEventListener('keydown', function (event) {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
    var active = document.activeElement;
    if (active && (active.tagName === 'INPUT' || active.tagName === 'TEXTAREA' || active.tagName === 'SELECT' || active.isContentEditable)) return;
    var search = document.getElementById('top-search-input') || document.querySelector('form[data-live] input');
    if (search) { event.preventDefault(); search.focus(); }
  });
})();
`;
