// An embedded server in a worker thread: a runaway script blocks the worker, never the host's event loop (Redis counterpart: none; a separate redis-server process).
//
// The host keeps its event loop, so its own TCP clients receive -BUSY and can send SCRIPT KILL / FUNCTION KILL (the
// worker's busy service answers them from inside the script's hook), test timeouts fire and close() returns: after
// asking the worker to close, it is terminated if it does not finish within a grace period. Socketless clients
// (client()) talk to the worker through a MessagePort; while a script is busy they wait for it like a pipelined
// command, since the worker's event loop is blocked.
import { Worker, MessageChannel, type MessagePort } from 'node:worker_threads';
import { LocalClient } from './local-client.js';

export interface WorkerStartOptions {
  port?: number;
  host?: string;
  config?: Record<string, string | number | boolean>;
  configText?: string;
  log?: 'debug' | 'verbose' | 'notice' | 'warning' | false;
  /** Called with each server log line (JSON text) the worker prints. */
  onLog?: (line: string) => void;
}

export interface WorkerServer {
  host: string;
  port: number;
  url: string;
  /** The worker thread running the server. */
  worker: Worker;
  /** A socketless connection through a MessagePort. */
  client(): LocalClient;
  /** Stops the server; terminates the worker if it does not stop within `graceMs` (default 2000). Always returns. */
  close(graceMs?: number): Promise<void>;
}

const WORKER_SRC = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData.indexUrl).then(async ({ startServer }) => {
  const opts = workerData.opts;
  if (workerData.wantLog) opts.onLog = line => parentPort.postMessage({ type: 'log', line });
  const srv = await startServer(opts);
  parentPort.on('message', async m => {
    if (m.type === 'close') { await srv.close(); parentPort.postMessage({ type: 'closed' }); }
    else if (m.type === 'client') {
      const port = m.port;
      const sink = { data: b => port.postMessage(b), closed: () => { port.postMessage(null); port.close(); } };
      const conn = { write: b => sink.data(b), pending: () => 0, closeAfterWrites: () => sink.closed(), destroy: () => sink.closed() };
      const h = srv.server.connectLocal(conn);
      port.on('message', b => { if (b === null) { h.close(); port.close(); } else h.feed(Buffer.from(b)); });
    }
  });
  parentPort.postMessage({ type: 'ready', host: srv.host, port: srv.port, url: srv.url });
}).catch(e => parentPort.postMessage({ type: 'error', message: String(e && e.stack || e) }));
`;

/** startServer({ worker: true }): the server in a worker thread. */
export function startWorkerServer(opts: WorkerStartOptions): Promise<WorkerServer> {
  const indexUrl = new URL('../index.js', import.meta.url).href;
  const { onLog, ...rest } = opts;
  const w = new Worker(WORKER_SRC, { eval: true, workerData: { indexUrl, opts: rest, wantLog: onLog !== undefined } });
  if (onLog) w.on('message', (m: { type: string; line?: string }) => m.type === 'log' && onLog(m.line!));
  let exited = false;
  const exit = new Promise<void>(r => w.once('exit', () => ((exited = true), r())));
  return new Promise((resolve, reject) => {
    w.once('error', reject);
    w.on('message', (m: { type: string; host?: string; port?: number; url?: string; message?: string }) => {
      if (m.type === 'error') reject(new Error(m.message));
      if (m.type !== 'ready') return;
      let closing: Promise<void> | null = null;
      resolve({
        host: m.host!,
        port: m.port!,
        url: m.url!,
        worker: w,
        client: () =>
          new LocalClient(sink => {
            const { port1, port2 } = new MessageChannel();
            port1.on('message', (b: Uint8Array | null) => (b === null ? (sink.closed(), port1.close()) : sink.data(Buffer.from(b))));
            w.postMessage({ type: 'client', port: port2 }, [port2 as MessagePort]);
            return {
              feed: b => port1.postMessage(b),
              close: () => {
                port1.postMessage(null);
                port1.close();
              },
            };
          }),
        close: (graceMs = 2000) =>
          (closing ??= (async () => {
            if (exited) return;
            w.postMessage({ type: 'close' });
            const closed = new Promise<void>(r => w.on('message', (x: { type: string }) => x.type === 'closed' && r()));
            let timer: NodeJS.Timeout | undefined;
            await Promise.race([closed, exit, new Promise(r => (timer = setTimeout(r, graceMs)))]);
            clearTimeout(timer);
            await w.terminate();
          })()),
      });
    });
  });
}
