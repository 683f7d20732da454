// Loaded into `paperscope serve` by bench:server-memory with `node --require` (a CommonJS
// preload runs in every worker thread too, where an `--import` one does not), so that the server
// needs no hook of its own. Each thread (the main one, page workers, the author-summary worker,
// the search-index worker) writes its own V8 figures twice a second to a file in the folder
// named by PAPERSCOPE_MEMORY_PROBE: the process's RSS is one number, and only the threads
// themselves can say how much of it is their heap and their array buffers.
'use strict';
const { writeFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');
const { isMainThread, threadId, workerData } = require('node:worker_threads');
const v8 = require('node:v8');

const dir = process.env.PAPERSCOPE_MEMORY_PROBE;

// An experiment, not a setting: with PAPERSCOPE_PROBE_SQLITE_CACHE_KIB, every connection this
// thread opens gets that page cache instead of the store's own `cache_size` (the benchmark's
// --sqlite-cache-mib), to see how much of the server's native memory is SQLite's page caches.
// Likewise PAPERSCOPE_PROBE_SQLITE_TEMP_STORE (`FILE` or `MEMORY`, the benchmark's --sqlite-temp-store):
// where each connection's sorts and temporary b-trees go.
let cacheChanged = 0;
const cacheKib = Number(process.env.PAPERSCOPE_PROBE_SQLITE_CACHE_KIB);
const tempStore = process.env.PAPERSCOPE_PROBE_SQLITE_TEMP_STORE;
if (cacheKib > 0 || tempStore) {
  const Database = require('better-sqlite3');
  const pragma = Database.prototype.pragma;
  Database.prototype.pragma = function (source, options) {
    if (cacheKib > 0 && /^\s*cache_size\s*=/i.test(source)) {
      cacheChanged++;
      return pragma.call(this, `cache_size = -${cacheKib}`, options);
    }
    if (tempStore && /^\s*temp_store\s*=/i.test(source))
      return pragma.call(this, `temp_store = ${tempStore}`, options);
    return pragma.call(this, source, options);
  };
}
if (dir) {
  const file = join(dir, `${process.pid}-${isMainThread ? 'main' : `worker-${threadId}`}.json`);
  const write = () => {
    const m = process.memoryUsage();
    const heap = v8.getHeapStatistics();
    try {
      writeFileSync(
        file,
        JSON.stringify({
          thread: isMainThread ? 'main' : `worker ${threadId}`,
          // Which worker it is, told by what it was given (the server's workers each take their own input).
          input:
            workerData && typeof workerData === 'object'
              ? Object.keys(workerData).sort().join(',')
              : typeof workerData,
          at: Date.now(),
          heapTotal: m.heapTotal,
          heapUsed: m.heapUsed,
          // Committed V8 heap pages actually touched (what of the heap is resident).
          heapPhysical: heap.total_physical_size,
          external: m.external,
          arrayBuffers: m.arrayBuffers,
          cacheChanged,
        }),
      );
    } catch {
      // The folder went away: the benchmark is over.
    }
  };
  write();
  setInterval(write, 500).unref();
  // A thread that ended holds nothing: its file goes with it.
  process.on('exit', () => rmSync(file, { force: true }));
}
