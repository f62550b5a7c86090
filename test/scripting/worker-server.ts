// Test helper: an embedded redlua server running in a worker thread, so that a test can talk to it while a script keeps the server's thread busy.
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export interface WorkerServer {
  port: number;
  /** resolves when the embedded server closed by itself (SHUTDOWN) */
  closed: Promise<void>;
  close(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const indexUrl = new URL('file://' + path.resolve(here, '../../src/index.js')).href;

export function startServerInWorker(config: Record<string, string | number>): Promise<WorkerServer> {
  const src = `
    const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.indexUrl).then(async ({ startServer }) => {
      const srv = await startServer({ log: false, config: workerData.config });
      const origClose = srv.server.close.bind(srv.server);
      srv.server.close = async () => { await origClose(); parentPort.postMessage({ closed: true }); };
      parentPort.on('message', async m => { if (m === 'close') { await srv.close(); } });
      parentPort.postMessage({ port: srv.port });
    });
  `;
  const w = new Worker(src, { eval: true, workerData: { indexUrl, config } });
  let resolveClosed!: () => void;
  const closed = new Promise<void>(r => (resolveClosed = r));
  return new Promise((resolve, reject) => {
    w.once('error', reject);
    w.on('message', (m: { port?: number; closed?: boolean }) => {
      if (m.closed) resolveClosed();
      if (m.port)
        resolve({
          port: m.port,
          closed,
          close: async () => {
            w.postMessage('close');
            await Promise.race([closed, new Promise(r => setTimeout(r, 2000))]);
            await w.terminate();
          },
        });
    });
  });
}
