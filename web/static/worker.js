// necdossier — the Web Worker that runs the Go engine (necdossier.wasm).
// app.js starts it from Go's wasm_exec.js followed by this file, and sends:
//   {type: 'init', module, env}                   → {type: 'ready', call} or {type: 'failed', message}
//   {type: 'blank', id}                           → {type: 'blank', id, name, data}
//   {type: 'build', id, files, workbook, options} → {type: 'result', id, ms, memory, findings, warnings, parts, error}
// env is the Go program's environment (GOGC…); memory the size of its
// WebAssembly memory after the run, which never shrinks.
// files are {path, data: ArrayBuffer}. Any failure of a job is
// {type: 'failed', id, message}; {type: 'exit'} says that the Go program
// stopped (out of memory…) and the worker must be replaced.
(() => {
  'use strict';

  const post = (msg, transfer) => self.postMessage(msg, transfer || []);

  let go = null;

  async function init(module, env) {
    go = new Go();
    Object.assign(go.env, env);
    const instance = await WebAssembly.instantiate(module, go.importObject);
    // run() returns once main() waits for calls; it settles when Go exits.
    go.run(instance).then(() => post({ type: 'exit' }), (e) => post({ type: 'exit', message: String(e) }));
    const api = self.necdossier;
    if (!api || api.error) {
      throw new Error(api ? api.error : 'moteur absent');
    }
    return api;
  }

  let api = null;
  self.onmessage = async (e) => {
    const m = e.data;
    try {
      switch (m.type) {
        case 'init':
          api = await init(m.module, m.env);
          post({ type: 'ready', call: api.call });
          break;
        case 'blank': {
          const r = await api.blank();
          post({ type: 'blank', id: m.id, name: r.name, data: r.data }, [r.data.buffer]);
          break;
        }
        case 'build': {
          const files = m.files.map((f) => ({ path: f.path, data: new Uint8Array(f.data) }));
          const t0 = performance.now();
          const r = await api.build(files, m.workbook, m.options);
          const ms = performance.now() - t0;
          const memory = go._inst.exports.mem.buffer.byteLength;
          post({ type: 'result', id: m.id, ms, memory, findings: r.findings, warnings: r.warnings, parts: r.parts, error: r.error },
            r.parts.map((p) => p.data.buffer));
          break;
        }
        default:
          throw new Error('message inconnu : ' + m.type);
      }
    } catch (err) {
      post({ type: 'failed', id: m.id, message: err && err.message ? err.message : String(err) });
    }
  };
})();
