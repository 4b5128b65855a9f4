// necdossier — what the collectivités' page (app.js) and the reviewers'
// page (lot.js) share: French formatting of the page's own text, and the
// small DOM helpers. Loaded before either, it defines window.necdossierUI.
(() => {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const NBSP = '\u00a0';

  // French typography for the page's own sentences: no-break space before
  // : ; ! ? » and after «, typographic apostrophe. Used as a tag on template
  // literals, it leaves the interpolated values (file names…) untouched.
  const typo = (s) => s.replace(/ ([:;!?»])/g, NBSP + '$1').replace(/« /g, '«' + NBSP).replace(/'/g, '’');
  const fr = (strings, ...values) => strings.reduce((out, s, i) => out + typo(s) + (i < values.length ? values[i] : ''), '');
  // The engine's messages are the command line's; here they get the
  // no-break spaces a page needs.
  const spaces = (s) => s.replace(/ ([:;!?»])/g, NBSP + '$1').replace(/« /g, '«' + NBSP);

  const number = (n, digits = Number.isInteger(n) ? 0 : 1) =>
    n.toLocaleString('fr-FR', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  // size is assemble.Size: « 850 ko », « 2,4 Mo ».
  function size(n) {
    if (n < 1000) return number(n, 0) + NBSP + 'o';
    if (n < 1e6) return number(Math.round(n / 1000), 0) + NBSP + 'ko';
    return number(n / 1e6, 1).replace(/,0$/, '') + NBSP + 'Mo';
  }
  const plural = (n, one, many) => number(n) + NBSP + (n >= 2 ? many : one);

  const state = (s) => { document.body.dataset.state = s; };

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v;
      else if (k.startsWith('data-')) e.setAttribute(k, v);
      else e[k] = v;
    }
    e.append(...children.flat().filter((c) => c !== null && c !== undefined));
    return e;
  }

  // announce says text to screen readers (the aria-live region #annonce).
  function announce(text) {
    const a = $('annonce');
    a.textContent = '';
    setTimeout(() => { a.textContent = text; }, 50);
  }

  function showAlert(title, detail) {
    const a = $('alerte');
    a.replaceChildren(el('p', {}, title), detail ? el('p', { class: 'detail' }, detail) : null);
    a.hidden = false;
  }

  window.necdossierUI = { $, NBSP, typo, fr, spaces, number, size, plural, state, el, announce, showAlert };
})();
