const { Worker, isMainThread, parentPort } = require('node:worker_threads');
if (isMainThread) {
  const w = new Worker(__filename);
  let t0;
  w.on('message', (m) => { console.log('worker says', m); setTimeout(() => { t0 = Date.now(); w.terminate().then(() => console.log('terminate resolved', Date.now() - t0, 'ms')); }, 300); });
  w.on('exit', (code) => { console.log('worker exit', code, Date.now() - t0, 'ms after terminate'); });
  w.on('error', (e) => console.log('worker error', e));
} else {
  const koffi = require('koffi');
  const libc = koffi.load('libc.so.6');
  const cmpProto = koffi.proto('int cmp(const void *a, const void *b)');
  const qsort = libc.func('void qsort(void *base, size_t n, size_t size, cmp *f)');
  let calls = 0;
  const cb = koffi.register((a, b) => { calls++; return 1; }, koffi.pointer(cmpProto));
  const arr = new Int32Array(50_000_000);
  parentPort.postMessage('looping');
  for (;;) { qsort(arr, arr.length, 4, cb); }
}
