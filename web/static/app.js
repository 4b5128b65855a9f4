// necdossier — the page's main thread: files in, findings and dossier out.
// The work itself runs in a Web Worker (worker.js + necdossier.wasm); nothing
// leaves the browser: the only requests are the page's own files, at load.
// Served by `necdossier serve` (<html data-mode="local">), the page loads no
// engine: it posts the files to that program, on the same computer, which
// does the work natively (package necdossier/web/serve).
//
// URL parameters, for tests and measurements:
//   ?limite=SECONDES           time limit of one run (default 180)
//   ?source_date_epoch=SECONDS date written in the dossier, as SOURCE_DATE_EPOCH
//                              does for the command line (reproducible builds)
//   ?gogc=N                    the Go engine's GOGC (default 400, see GO_ENV)
(() => {
  'use strict';

  const { $, NBSP, fr, spaces, number, size, plural, state, el, announce, showAlert } = window.necdossierUI;


  const params = new URLSearchParams(location.search);
  const LIMIT = Number(params.get('limite')) > 0 ? Number(params.get('limite')) : 180; // seconds
  const EPOCH = /^\d+$/.test(params.get('source_date_epoch') || '') ? Number(params.get('source_date_epoch')) : null;
  const VERSION = document.querySelector('meta[name="necdossier-version"]').content;
  const LOCAL = document.documentElement.dataset.mode === 'local';
  const BIG_PIXELS = 20e6; // a photo above this may need several hundred MB
  const BIG_TOTAL = 150e6; // bytes of files read at once
  // The Go garbage collector runs on the only thread of the worker: with
  // Go's default (GOGC=100) it takes a large share of a build. It runs less
  // often here, up to a soft limit on the heap that keeps the tab's memory
  // reasonable.
  const GO_ENV = { GOGC: /^\d+$/.test(params.get('gogc') || '') ? params.get('gogc') : '400', GOMEMLIMIT: '512MiB' };
  const IGNORED = /^(\.|~\$|Thumbs\.db$|desktop\.ini$)/i;

  // Measures, read by the benchmark (web/webtest).
  const timings = (window.necdossierTimings = { ready: null, builds: [] });


  // ---- French formatting -------------------------------------------------

  const duration = (s) => (s >= 60 && s % 60 === 0 ? plural(s / 60, 'minute', 'minutes') : plural(s, 'seconde', 'secondes'));

  // ---- Loading the engine ------------------------------------------------

  const loading = $('chargement');

  async function fetchOK(url) {
    const r = await fetch(url + '?v=' + VERSION);
    if (!r.ok) throw new Error(fr`${url} : réponse ${r.status}`);
    return r;
  }

  // The engine, from the first of these that works:
  // 1. necdossier.wasm, compressed by the host itself (Content-Encoding: br
  //    or gzip, as nginx's brotli_static or gzip_static does): the browser
  //    compiles it while it arrives and keeps the compiled code in its cache
  //    for the next visit;
  // 2. necdossier.wasm.br, sent with Content-Encoding: br by a host told to
  //    do so for that file (a _headers rule): the browser decompresses it;
  // 3. necdossier.wasm.gz, which the page decompresses itself (brotli it
  //    cannot: DecompressionStream knows only gzip): any static host will do;
  // 4. necdossier.wasm as it is.
  // A response that is not what is hoped for is dropped as soon as its
  // headers arrive.
  async function compileEngine() {
    const module = (await compressedByHost('necdossier.wasm')) || (await compressedByHost('necdossier.wasm.br', 'br'));
    if (module) return module;
    if ('DecompressionStream' in window) {
      try {
        const r = await fetchOK('necdossier.wasm.gz');
        const body = r.body.pipeThrough(counter(Number(r.headers.get('Content-Length')))).pipeThrough(new DecompressionStream('gzip'));
        return await WebAssembly.compileStreaming(new Response(body, { headers: { 'Content-Type': 'application/wasm' } }));
      } catch (e) {
        console.warn('necdossier.wasm.gz :', e);
      }
    }
    const r = await fetchOK('necdossier.wasm');
    return WebAssembly.compile(await r.arrayBuffer());
  }

  // compressedByHost compiles url if the host sent it compressed (with
  // encoding, if given), which the browser undoes; otherwise it returns null.
  async function compressedByHost(url, encoding) {
    const stop = new AbortController();
    try {
      const r = await fetch(url + '?v=' + VERSION, { signal: stop.signal });
      const got = (r.headers.get('Content-Encoding') || 'identity').trim().toLowerCase();
      if (r.ok && got !== 'identity' && (!encoding || got === encoding)) {
        // Keeping the response itself lets the browser cache the compiled
        // code; it must then say application/wasm.
        const wasm = r.headers.get('Content-Type') === 'application/wasm' ? r : new Response(r.body, { headers: { 'Content-Type': 'application/wasm' } });
        return await WebAssembly.compileStreaming(wasm);
      }
      stop.abort();
    } catch (e) {
      stop.abort();
      console.warn(url + ' :', e);
    }
    return null;
  }

  // counter shows how much of the engine has arrived.
  function counter(total) {
    let seen = 0;
    return new TransformStream({
      transform(chunk, c) {
        seen += chunk.byteLength;
        if (total > 0) $('charge').textContent = fr`(${size(seen)} sur ${size(total)})`;
        c.enqueue(chunk);
      },
    });
  }

  // The worker's code is wasm_exec.js followed by worker.js, kept as a blob:
  // a worker restarted after a time limit needs no request.
  async function workerSource() {
    const [exec, own] = await Promise.all([fetchOK('wasm_exec.js'), fetchOK('worker.js')]);
    const code = (await exec.text()) + '\n' + (await own.text());
    return URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
  }

  let engine = null; // {module, url}
  let worker = null; // the current Worker
  let ready = null; // Promise of the call, settled when the worker is ready
  let call = null;
  let nextId = 1;
  const pending = new Map(); // id → {resolve, reject}

  function startWorker() {
    const w = new Worker(engine.url);
    worker = w;
    ready = new Promise((resolve, reject) => {
      w.onmessage = (e) => {
        const m = e.data;
        if (m.type === 'ready') {
          resolve(m.call);
        } else if (m.type === 'exit') {
          stopWorker(w, new EngineStopped());
          reject(new EngineStopped());
        } else if (m.type === 'failed' && m.id === undefined) {
          reject(new Error(m.message));
        } else if (pending.has(m.id)) {
          const p = pending.get(m.id);
          pending.delete(m.id);
          if (m.type === 'failed') p.reject(new Error(m.message));
          else p.resolve(m);
        }
      };
      w.onerror = (e) => {
        e.preventDefault();
        stopWorker(w, new EngineStopped());
        reject(new EngineStopped());
      };
    });
    ready.catch(() => {});
    w.postMessage({ type: 'init', module: engine.module, env: GO_ENV });
  }

  class EngineStopped extends Error {}
  class TimeLimit extends Error {}
  class Stopped extends Error {}

  // stopWorker ends w, fails what it was doing, and starts a fresh worker.
  function stopWorker(w, why) {
    if (w !== worker) return;
    w.terminate();
    for (const p of pending.values()) p.reject(why);
    pending.clear();
    startWorker();
  }

  // job sends msg to the worker and waits for its answer, at most limit
  // seconds: Go cannot be interrupted inside the worker, so the worker is
  // ended and replaced.
  async function job(msg, transfer, limit) {
    await ready;
    const w = worker;
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = limit ? setTimeout(() => stopWorker(w, new TimeLimit()), limit * 1000) : null;
      pending.set(id, {
        resolve: (v) => { clearTimeout(timer); resolve(v); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      });
      w.postMessage({ ...msg, id }, transfer || []);
    });
  }

  // ---- Served by necdossier serve -----------------------------------------

  let maxBuild = Infinity; // bytes the local server accepts at once
  let running = null; // the AbortController of the local run

  // api calls the local server; its errors are {error} in French.
  async function api(path, init) {
    const r = await fetch('api/' + path, init);
    if (!r.ok) {
      const body = await r.json().catch(() => ({ error: fr`réponse ${r.status}` }));
      throw new Error(body.error);
    }
    return r;
  }

  // localJob does in the local server what job does in the worker.
  async function localJob(msg, limit) {
    if (msg.type === 'blank') {
      const r = await api('blank');
      return { name: call.workbookName, data: await r.arrayBuffer() };
    }
    const body = new FormData();
    for (const f of msg.files) body.append('fichier', f.file, f.path);
    body.append('classeur', msg.workbook);
    body.append('maintenant', String(msg.options.now));
    body.append('decalage', String(msg.options.tzOffset));
    body.append('courriel', msg.options.email ? '1' : '0');
    const stop = (running = new AbortController());
    const timer = setTimeout(() => stop.abort(new TimeLimit()), limit * 1000);
    try {
      const r = await (await api('build', { method: 'POST', body, signal: stop.signal })).json();
      for (const p of r.parts) p.data = Uint8Array.from(atob(p.data), (c) => c.charCodeAt(0));
      return r;
    } catch (e) {
      throw stop.signal.aborted ? stop.signal.reason : e;
    } finally {
      clearTimeout(timer);
      running = null;
    }
  }

  async function load() {
    state('loading');
    try {
      if (LOCAL) {
        const info = await (await api('info')).json();
        call = info.call;
        maxBuild = info.maxBuild;
      } else {
        const [module, url] = await Promise.all([compileEngine(), workerSource()]);
        engine = { module, url };
        startWorker();
        call = await ready;
      }
    } catch (e) {
      console.error(e);
      loading.className = 'loading failed';
      loading.textContent = fr`L'outil n'a pas pu se charger (${e.message}). Vérifiez votre connexion puis rechargez la page ; un navigateur récent (Firefox, Chrome, Edge, Safari) est nécessaire.`;
      state('failed');
      return;
    }
    timings.ready = performance.now();
    loading.className = 'loading ready';
    const past = new Date(call.deadline + 'T23:59:59') < new Date(EPOCH !== null ? EPOCH * 1000 : Date.now());
    loading.textContent = fr`L'outil est prêt. Date limite de dépôt : ${longDate(call.deadline)}` + (past ? fr` (passée).` : '.');
    $('vierge').disabled = false;
    state('ready');
  }

  function longDate(iso) {
    const [y, m, d] = iso.split('-').map(Number);
    const s = new Date(Date.UTC(y, m - 1, d)).toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
    return s.replace(/^1 /, '1er ').replace(/ /g, NBSP);
  }

  // ---- Downloads ---------------------------------------------------------

  function save(name, data, type) {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([data], { type }));
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 60000);
  }

  $('vierge').addEventListener('click', async () => {
    const button = $('vierge');
    button.disabled = true;
    try {
      const r = LOCAL ? await localJob({ type: 'blank' }) : await job({ type: 'blank' });
      save(r.name, r.data, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      announce(fr`Classeur vierge téléchargé : ${r.name}.`);
    } catch (e) {
      showAlert(fr`Le classeur vierge n'a pas pu être produit.`, e.message);
    } finally {
      button.disabled = false;
    }
  });

  // ---- Receiving files ---------------------------------------------------

  const zone = $('zone');
  $('choisir-fichiers').addEventListener('click', () => $('fichiers').click());
  $('choisir-dossier').addEventListener('click', () => $('dossier').click());
  for (const input of [$('fichiers'), $('dossier')]) {
    input.addEventListener('change', () => {
      const list = [...input.files].map((file) => ({ file, path: file.webkitRelativePath || file.name }));
      input.value = '';
      receive(list);
    });
  }

  // A file dropped anywhere on the page is taken, never opened by the browser
  // in place of the page.
  document.addEventListener('dragover', (e) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = busy ? 'none' : 'copy';
    zone.classList.add('over');
  });
  document.addEventListener('dragleave', (e) => {
    if (!e.relatedTarget) zone.classList.remove('over');
  });
  document.addEventListener('drop', async (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    const entries = [...e.dataTransfer.items].map((i) => (i.webkitGetAsEntry ? i.webkitGetAsEntry() : null)).filter(Boolean);
    let list;
    if (entries.length > 0) {
      list = [];
      for (const entry of entries) await walk(entry, list);
    } else {
      list = [...e.dataTransfer.files].map((file) => ({ file, path: file.name }));
    }
    receive(list);
  });

  async function walk(entry, out) {
    if (entry.isFile) {
      const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
      out.push({ file, path: entry.fullPath.replace(/^\/+/, '') });
      return;
    }
    const reader = entry.createReader();
    for (;;) {
      const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) return;
      for (const e of batch) await walk(e, out);
    }
  }

  const base = (p) => p.slice(p.lastIndexOf('/') + 1);
  const dirname = (p) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');

  let received = []; // the files of the last selection
  let busy = false;

  function receive(list) {
    if (busy) {
      announce(fr`Un traitement est en cours : attendez qu'il se termine, ou arrêtez-le, avant de déposer d'autres fichiers.`);
      return;
    }
    hideAlert();
    $('resultat').hidden = true;
    received = list.filter((f) => !IGNORED.test(base(f.path)));
    $('choix-classeur').hidden = true;
    let books = received.filter((f) => /\.xlsx$/i.test(f.path));
    if (books.length === 0) {
      // A workbook in another format: the engine says how to save it as .xlsx.
      books = received.filter((f) => /\.(xls|xlsm|ods|csv|numbers)$/i.test(f.path));
    }
    if (books.length === 0) {
      showAlert(
        received.length === 0 ? fr`Aucun fichier reçu.` : fr`Aucun classeur (fichier .xlsx) parmi les fichiers reçus.`,
        fr`Choisissez le classeur rempli et ses lettres de soutien, ou le dossier qui les contient.`,
      );
      return;
    }
    if (books.length === 1) {
      process(books[0].path);
      return;
    }
    const select = $('classeur');
    select.replaceChildren(...books.map((b) => new Option(b.path, b.path)));
    $('choix-classeur').hidden = false;
    select.focus();
  }
  $('traiter').addEventListener('click', () => process($('classeur').value));

  // imagePixels reads the width and height in a JPEG or PNG header.
  async function imagePixels(file) {
    const b = new Uint8Array(await file.slice(0, 512 * 1024).arrayBuffer());
    const u16 = (i) => (b[i] << 8) | b[i + 1];
    const u32 = (i) => ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
    if (b.length > 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) {
      return u32(16) * u32(20);
    }
    if (b.length > 4 && b[0] === 0xff && b[1] === 0xd8) {
      let i = 2;
      while (i + 9 < b.length) {
        if (b[i] !== 0xff) { i++; continue; }
        const marker = b[i + 1];
        if (marker === 0xff) { i++; continue; }
        if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
          return u16(i + 5) * u16(i + 7);
        }
        if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) { i += 2; continue; }
        i += 2 + u16(i + 2);
      }
    }
    return 0;
  }

  // ---- A run -------------------------------------------------------------

  let downloads = []; // blob URLs of the last result

  async function process(workbook) {
    const dir = dirname(workbook);
    const files = received.filter((f) => dir === '' || f.path.startsWith(dir + '/'));
    const rel = (p) => (dir === '' ? p : p.slice(dir.length + 1));

    // Warn before what could exhaust the tab's memory.
    const total = files.reduce((n, f) => n + f.file.size, 0);
    if (total > maxBuild) {
      showAlert(fr`Fichiers trop lourds : ${size(total)} au total, la limite est de ${size(maxBuild)}.`,
        fr`Ne gardez dans le dossier que le classeur et ses lettres, ou allégez les lettres les plus lourdes (PDF, ou scan à 200 ppp).`);
      return;
    }
    if (total > BIG_TOTAL && !(await confirmHeavy(fr`Les fichiers à lire pèsent ${size(total)} au total. Leur traitement demande beaucoup de mémoire et peut ralentir fortement l'ordinateur, voire bloquer cet onglet. Ne gardez dans le dossier que le classeur et ses lettres, ou continuez quand même.`))) {
      return;
    }
    for (const f of files) {
      if (!/\.(jpe?g|png)$/i.test(f.path)) continue;
      const px = await imagePixels(f.file);
      if (px > BIG_PIXELS && !(await confirmHeavy(fr`La photo « ${rel(f.path)} » compte ${number(Math.round(px / 1e6))} millions de pixels. La traiter demande environ ${size(px * 10)} de mémoire et peut ralentir fortement l'ordinateur, voire bloquer cet onglet. Le mieux est d'en demander une version plus légère (PDF, ou scan à 200 ppp) ; vous pouvez aussi continuer quand même.`))) {
        return;
      }
    }

    setBusy(true);
    const t0 = performance.now();
    let r;
    const options = {
      now: EPOCH !== null ? EPOCH * 1000 : Date.now(),
      tzOffset: EPOCH !== null ? 0 : new Date().getTimezoneOffset(),
      email: true,
    };
    try {
      if (LOCAL) {
        setStage(fr`Vérification du classeur et production du dossier…`);
        r = await localJob({ type: 'build', workbook: rel(workbook), files: files.map((f) => ({ path: rel(f.path), file: f.file })), options }, LIMIT);
      } else {
        const data = await Promise.all(files.map((f) => f.file.arrayBuffer()));
        const list = files.map((f, i) => ({ path: rel(f.path), data: data[i] }));
        setStage(fr`Vérification du classeur et production du dossier…`);
        r = await job({ type: 'build', workbook: rel(workbook), files: list, options }, data, LIMIT);
      }
    } catch (e) {
      setBusy(false);
      failed(e);
      return;
    }
    timings.builds.push({ total: performance.now() - t0, engine: r.ms, memory: r.memory });
    setBusy(false);
    show(r, workbook, files);
  }

  function failed(e) {
    state('done');
    if (e instanceof TimeLimit) {
      showAlert(
        fr`Le traitement a été arrêté au bout de ${duration(LIMIT)} : il prenait trop de temps.`,
        fr`Une lettre très lourde (photo ou scan en très haute résolution) en est souvent la cause. Demandez-en une version plus légère (PDF, ou scan à 200 ppp), puis déposez à nouveau les fichiers.`,
      );
    } else if (e instanceof Stopped) {
      showAlert(fr`Traitement arrêté.`, fr`Vous pouvez déposer à nouveau les fichiers.`);
    } else if (e instanceof EngineStopped) {
      showAlert(
        fr`Le traitement s'est arrêté brutalement, sans doute faute de mémoire.`,
        fr`Une lettre très lourde (photo ou scan en très haute résolution) en est souvent la cause. Fermez les autres onglets, ou demandez une version plus légère de la lettre, puis déposez à nouveau les fichiers.`,
      );
    } else {
      showAlert(fr`Le traitement a échoué.`, spaces(e.message));
    }
  }

  let tick = null;
  function setBusy(on) {
    busy = on;
    for (const id of ['choisir-fichiers', 'choisir-dossier', 'traiter', 'vierge']) $(id).disabled = on;
    $('travail').hidden = !on;
    clearInterval(tick);
    if (on) {
      state('working');
      $('resultat').hidden = true;
      hideAlert();
      const t0 = Date.now();
      $('duree').textContent = '';
      tick = setInterval(() => { $('duree').textContent = '(' + plural(Math.round((Date.now() - t0) / 1000), 'seconde', 'secondes') + ')'; }, 1000);
      setStage(fr`Lecture des fichiers…`);
      announce(fr`Traitement en cours.`);
    }
  }
  const setStage = (text) => { $('etat').textContent = text; };

  $('arreter').addEventListener('click', () => (LOCAL ? running && running.abort(new Stopped()) : stopWorker(worker, new Stopped())));

  // ---- Results -----------------------------------------------------------


  function show(r, workbook, files) {
    for (const u of downloads) URL.revokeObjectURL(u);
    downloads = [];
    const errors = r.findings.filter((f) => f.severity === 'erreur').length;
    const warnings = r.findings.length - errors + r.warnings.length;
    const pdf = r.parts.find((p) => p.role === 'dossier');
    const eml = r.parts.find((p) => p.role === 'email');

    const summary = $('resume');
    const dl = $('telechargements');
    dl.replaceChildren();
    dl.hidden = !pdf;
    if (pdf) {
      summary.className = 'summary ok';
      summary.textContent = fr`Le dossier est prêt : ${plural(pdf.pages, 'page', 'pages')}, ${size(pdf.data.byteLength)}.` +
        (warnings > 1 ? ' ' + fr`Lisez aussi les ${plural(warnings, 'avertissement', 'avertissements')} ci\u2011dessous.` : '') +
        (warnings === 1 ? ' ' + fr`Lisez aussi l'avertissement ci\u2011dessous.` : '');
      dl.append(download(pdf, 'application/pdf', fr`Le dossier de candidature`, fr`${plural(pdf.pages, 'page', 'pages')}, ${size(pdf.data.byteLength)}, lettres de soutien comprises.`, fr`Télécharger le dossier (PDF)`));
      if (eml) {
        dl.append(download(eml, 'message/rfc822', fr`Le courriel d'envoi, prêt à partir`,
          fr`Adressé à ${call.recipient}, objet et texte rédigés, dossier joint : ouvrez-le dans votre messagerie, vérifiez-le, puis envoyez-le.`, fr`Télécharger le brouillon du courriel (.eml)`));
      }
    } else if (errors > 0) {
      summary.className = 'summary ko';
      summary.textContent = fr`Le dossier n'a pas été produit : ${plural(errors, 'erreur', 'erreurs')} à corriger dans le classeur` +
        (warnings > r.warnings.length ? fr` (et ${plural(warnings - r.warnings.length, 'avertissement', 'avertissements')})` : '') +
        fr`. Corrigez-les, enregistrez le classeur, puis déposez à nouveau les fichiers.`;
    } else {
      summary.className = 'summary ko';
      summary.textContent = fr`Le dossier n'a pas été produit :`;
    }
    // An error that is not a finding: a file that is no workbook, a logo
    // that cannot be read… The engine's message says what to do.
    const detail = $('erreur-moteur');
    detail.hidden = !(r.error && errors === 0);
    detail.textContent = r.error && errors === 0 ? spaces(r.error) : '';

    const dw = $('avertissements-dossier');
    dw.replaceChildren();
    dw.hidden = r.warnings.length === 0;
    if (r.warnings.length > 0) {
      dw.append(el('h3', {}, fr`À savoir sur le dossier`), el('ul', { class: 'notes' }, ...r.warnings.map((w) => el('li', {}, spaces(w)))));
    }

    $('constats').replaceChildren(...findings(r.findings));

    $('liste-recus').replaceChildren(...files.map((f) => el('li', {}, f.path, ' ', el('span', { class: 'small' }, '(' + size(f.file.size) + ')'), f.path === workbook ? fr` : le classeur` : '')));
    $('recus').querySelector('summary').textContent = fr`Fichiers lus (${number(files.length)})`;

    $('resultat').hidden = false;
    state('done');
    $('titre-resultat').focus();
    announce(summary.textContent + (detail.hidden ? '' : ' ' + detail.textContent));
  }

  function download(part, type, title, text, label) {
    const url = URL.createObjectURL(new Blob([part.data], { type }));
    downloads.push(url);
    const a = el('a', { class: 'button', href: url, download: part.name, 'data-role': part.role }, label);
    return el('div', { class: 'download' },
      el('h3', {}, title),
      el('p', { class: 'file' }, part.name),
      el('p', {}, text),
      el('p', {}, a));
  }

  // findings lists the checks' findings grouped by sheet, in the workbook's order.
  function findings(list) {
    if (list.length === 0) return [];
    const sheets = new Map();
    for (const f of list) {
      if (!sheets.has(f.sheet)) sheets.set(f.sheet, []);
      sheets.get(f.sheet).push(f);
    }
    const out = [el('h3', {}, fr`Points relevés dans le classeur, feuille par feuille`)];
    if (list.some((f) => /introuvable/.test(f.text) && f.sheet === 'Annexes')) {
      out.push(el('p', {}, fr`Une lettre introuvable ? Choisissez le classeur et toutes ses lettres en une seule fois, ou le dossier qui les contient.`));
    }
    for (const [sheet, fs] of sheets) {
      const e = fs.filter((f) => f.severity === 'erreur').length;
      const w = fs.length - e;
      const counts = [e ? plural(e, 'erreur', 'erreurs') : '', w ? plural(w, 'avertissement', 'avertissements') : ''].filter(Boolean).join(', ');
      out.push(el('h4', { class: 'sheet' }, fr`Feuille « ${sheet} »`, ' ', el('span', { class: 'count' }, '(' + counts + ')')));
      out.push(el('ul', { class: 'findings' }, ...fs.map((f) => el('li', { 'data-severity': f.severity, 'data-sheet': f.sheet, 'data-cell': f.cell },
        el('span', { class: 'badge ' + f.severity }, f.severity === 'erreur' ? 'Erreur' : 'Avertissement'),
        f.cell ? el('span', { class: 'cell' }, el('span', { class: 'visually-hidden' }, 'cellule '), f.cell) : el('span', { class: 'whole' }, 'feuille'),
        el('span', { class: 'text' }, spaces(f.text))))));
    }
    return out;
  }

  // ---- Messages ----------------------------------------------------------

  function hideAlert() {
    $('alerte').hidden = true;
    $('alerte').replaceChildren();
  }

  // confirmHeavy asks before a run that could exhaust memory.
  function confirmHeavy(text) {
    const d = $('confirmation');
    $('confirmation-texte').textContent = text;
    return new Promise((resolve) => {
      const done = (v) => {
        $('confirmation-continuer').onclick = $('confirmation-annuler').onclick = d.oncancel = null;
        if (d.open) d.close();
        resolve(v);
      };
      $('confirmation-continuer').onclick = () => done(true);
      $('confirmation-annuler').onclick = () => done(false);
      d.oncancel = () => done(false);
      d.showModal();
      $('confirmation-annuler').focus();
    });
  }

  load();
})();
