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
