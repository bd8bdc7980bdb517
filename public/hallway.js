// Hallway's progressive enhancements, loaded with <script src> (the CSP forbids inline script).
// Every page works without this file; it only smooths things when JavaScript runs.
(function () {
  'use strict';

  // "/" jumps to the search box (as on many sites), unless the person is typing in a field.
  document.addEventListener('keydown', function (ev) {
    if (ev.key !== '/' || ev.ctrlKey || ev.metaKey || ev.altKey || ev.defaultPrevented) return;
    var t = ev.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(t.tagName))) return;
    var box = document.querySelector('form[role="search"] input[type="search"]');
    if (!box) return;
    ev.preventDefault();
    box.focus();
    box.select();
  });

  // Live search swaps only the results: keep the tab's title (and so the history entry) in step.
  document.addEventListener('htmx:after:swap', function () {
    var marker = document.querySelector('#search-results [data-page-title]');
    if (marker) document.title = marker.getAttribute('data-page-title');
  });

  // Stories: when htmx swaps in a refused story form (422), the button that had focus is gone;
  // put focus on the first field that needs another look, so keyboard and screen-reader users land there.
  document.addEventListener('htmx:after:swap', function () {
    var form = document.getElementById('story-form');
    if (!form || (document.activeElement && document.activeElement !== document.body)) return;
    var field = form.querySelector('input[aria-invalid="true"], textarea[aria-invalid="true"], select[aria-invalid="true"], fieldset[aria-invalid="true"] input');
    if (field && typeof field.focus === 'function') field.focus();
  });
})();

// Copy buttons beside read-only texts (invitation links): shown only when this script runs, since
// without it they would do nothing; the text stays selectable either way.
(function () {
  'use strict';
  function reveal() {
    var buttons = document.querySelectorAll('button[data-copy-for][hidden]');
    for (var i = 0; i < buttons.length; i++) buttons[i].hidden = false;
  }
  function say(id, text) {
    var status = document.querySelector('[data-copy-status="' + id + '"]');
    if (status) status.textContent = text;
  }
  document.addEventListener('click', function (ev) {
    var button = ev.target && ev.target.closest ? ev.target.closest('button[data-copy-for]') : null;
    if (!button) return;
    var id = button.getAttribute('data-copy-for');
    var field = document.getElementById(id);
    if (!field) return;
    function fallback() {
      field.focus();
      field.select();
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      say(id, ok ? 'Copied.' : 'Selected: press Ctrl+C (or ⌘C) to copy.');
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () { say(id, 'Copied.'); }, fallback);
    } else fallback();
  });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', reveal);
  else reveal();
  document.addEventListener('htmx:after:swap', reveal);
})();

// After a curator's form is sent, the page comes back with what was done beside the form: move
// focus there, so it is read out and the person's place is kept (it is scrolled to by its #anchor).
(function () {
  'use strict';
  function focusDone() {
    var done = document.querySelector('.curation .notice.done[role="status"], .retheme .notice.done[role="status"]');
    if (!done) return;
    done.setAttribute('tabindex', '-1');
    done.focus({ preventScroll: false });
  }
  // after load: the browser's own jump to the #anchor comes first and would take focus back
  if (document.readyState === 'complete') setTimeout(focusDone, 0);
  else window.addEventListener('load', function () { setTimeout(focusDone, 0); });
})();

// A figure's explanation (views/components/term.tsx) shows on hover and focus; Escape hides it.
(function () {
  'use strict';
  document.addEventListener('keydown', function (ev) {
    if (ev.key !== 'Escape') return;
    var t = document.activeElement;
    if (t && t.classList && t.classList.contains('term')) t.parentNode.classList.add('tip-dismissed');
  });
  document.addEventListener('focusin', function (ev) {
    var t = ev.target;
    if (t && t.classList && t.classList.contains('term')) t.parentNode.classList.remove('tip-dismissed');
  });
})();
