// necdossier — the reviewers' page, served by `necdossier serve` only: a
// folder of candidates, or a zip of them, goes to /api/lot; the zip of the
// batch's outputs comes back, with its summary in the header X-Necdossier-Lot.
(() => {
  'use strict';

  const { $, NBSP, fr, spaces, number, size, plural, state, el, announce, showAlert } = window.necdossierUI;

  const params = new URLSearchParams(location.search);
  const EPOCH = /^\d+$/.test(params.get('source_date_epoch') || '') ? Number(params.get('source_date_epoch')) : null;

  let info = null;
  let download = null;


  async function load() {
    state('loading');
    try {
      const r = await fetch('api/info');
      const body = await r.json();
      if (!r.ok) throw new Error(body.error);
      info = body;
    } catch (e) {
      $('chargement').className = 'loading failed';
      $('chargement').textContent = fr`necdossier ne répond pas (${spaces(e.message)}). Relancez necdossier, puis ouvrez l'adresse qu'il affiche.`;
      state('failed');
      return;
    }
    $('chargement').className = 'loading ready';
    $('chargement').textContent = fr`Prêt. Un lot peut peser jusqu'à ${size(info.maxLot)}.`;
    $('choisir-dossier').disabled = $('choisir-zip').disabled = false;
    state('ready');
  }

  $('choisir-dossier').addEventListener('click', () => $('dossier').click());
  $('choisir-zip').addEventListener('click', () => $('zip').click());
  for (const id of ['dossier', 'zip']) {
    $(id).addEventListener('change', (e) => {
      const files = [...e.target.files].map((file) => ({ file, path: file.webkitRelativePath || file.name }));
      e.target.value = '';
      if (files.length > 0) send(files);
    });
  }

  let tick = null;
  function busy(on) {
    $('choisir-dossier').disabled = $('choisir-zip').disabled = on;
    $('travail').hidden = !on;
    clearInterval(tick);
    if (on) {
      state('working');
      $('resultat').hidden = true;
      $('alerte').hidden = true;
      const t0 = Date.now();
      $('duree').textContent = '';
      tick = setInterval(() => { $('duree').textContent = '(' + plural(Math.round((Date.now() - t0) / 1000), 'seconde', 'secondes') + ')'; }, 1000);
      announce(fr`Traitement du lot en cours.`);
    }
  }

  async function send(files) {
    const total = files.reduce((n, f) => n + f.file.size, 0);
    if (total > info.maxLot) {
      showAlert(fr`Lot trop lourd : ${size(total)}, la limite est de ${size(info.maxLot)}.`, fr`Traitez-le en plusieurs fois.`);
      state('done');
      return;
    }
    const body = new FormData();
    for (const f of files) body.append('fichier', f.file, f.path);
    body.append('impression', $('impression').checked ? '1' : '0');
    body.append('maintenant', String(EPOCH !== null ? EPOCH * 1000 : Date.now()));
    body.append('decalage', String(EPOCH !== null ? 0 : new Date().getTimezoneOffset()));
    busy(true);
    let r, zip;
    try {
      r = await fetch('api/lot', { method: 'POST', body });
      if (!r.ok) {
        const e = await r.json().catch(() => ({ error: fr`réponse ${r.status}` }));
        throw new Error(e.error);
      }
      zip = await r.blob();
    } catch (e) {
      busy(false);
      state('done');
      showAlert(fr`Le lot n'a pas pu être traité.`, spaces(e.message));
      return;
    }
    busy(false);
    const b = Uint8Array.from(atob(r.headers.get('X-Necdossier-Lot')), (c) => c.charCodeAt(0));
    show(JSON.parse(new TextDecoder().decode(b)), zip);
  }

  // counts says what a produced dossier carries: errors the candidate must
  // fix (marked in the dossier), warnings.
  function counts(c) {
    const parts = [];
    if (c.errors) parts.push(plural(c.errors, 'erreur marquée dans le dossier', 'erreurs marquées dans le dossier'));
    if (c.warnings) parts.push(plural(c.warnings, 'avertissement', 'avertissements'));
    return parts.length ? ' (' + parts.join(', ') + ')' : '';
  }

  function show(sum, zip) {
    if (download) URL.revokeObjectURL(download);
    download = URL.createObjectURL(zip);
    const failed = sum.candidates.filter((c) => c.error).length;
    const made = sum.candidates.length - failed;
    $('resume').className = 'summary ' + (failed === 0 && !sum.error ? 'ok' : 'ko');
    $('resume').textContent = fr`${plural(made, 'dossier produit', 'dossiers produits')}` +
      (failed ? fr`, ${plural(failed, 'échec', 'échecs')} (détail ci-dessous)` : '') + '.';
    $('telechargements').replaceChildren(el('div', { class: 'download' },
      el('h3', {}, fr`L'archive du lot`),
      el('p', { class: 'file' }, 'necdossier-lot.zip'),
      el('p', {}, fr`${size(zip.size)} : ${sum.files.join(', ')}.`),
      el('p', {}, el('a', { class: 'button', href: download, download: 'necdossier-lot.zip', 'data-role': 'lot' }, fr`Télécharger l'archive (zip)`))));
    $('candidats').tBodies[0].replaceChildren(...sum.candidates.map((c) => el('tr', { 'data-state': c.error ? 'echec' : c.errors ? 'erreurs' : 'ok' },
      el('th', { scope: 'row' }, c.name),
      el('td', {}, c.error ? 'Échec' : c.errors ? 'Produit, erreurs marquées' : 'Produit'),
      el('td', {}, c.error ? '–' : number(c.pages)),
      el('td', {}, c.error ? '–' : size(c.size)),
      el('td', {}, spaces(c.error || c.output + counts(c))))));
    const notes = [...(sum.notes || []), ...sum.candidates.filter((c) => c.note).map((c) => c.name + ' : ' + c.note)];
    if (sum.error) notes.push(sum.error);
    $('notes').replaceChildren(...notes.map((n) => el('li', {}, spaces(n))));
    $('resultat').hidden = false;
    state('done');
    $('titre-resultat').focus();
    announce($('resume').textContent);
  }

  load();
})();
