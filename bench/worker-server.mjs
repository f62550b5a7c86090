// Worker-thread vs main-thread embedded server: start to first PONG, and GET/SET round trips from a TCP client in the host thread.
// Usage: node bench/worker-server.mjs [ops=20000]   (after npx tsc)
import net from 'node:net';
import { startServer } from '../dist/src/index.js';

const OPS = Number(process.argv[2] ?? 20000);

function client(port) {
  return new Promise(resolve => {
    const s = net.connect(port, '127.0.0.1', () => {
      let buf = '';
      let waiter = null;
      s.on('data', d => {
        buf += d.toString('latin1');
        if (waiter && buf.includes('\r\n')) {
          const w = waiter;
          waiter = null;
          const i = buf.indexOf('\r\n');
          const line = buf.slice(0, i);
          buf = buf.slice(i + 2);
          if (line.startsWith('$') && line !== '$-1') {
            const j = buf.indexOf('\r\n');
            buf = buf.slice(j + 2);
          }
          w(line);
        }
      });
      resolve({
        cmd: (...a) =>
          new Promise(r => {
            waiter = r;
            s.write(`*${a.length}\r\n` + a.map(x => `$${Buffer.byteLength(String(x))}\r\n${x}\r\n`).join(''));
          }),
        close: () => s.destroy(),
      });
    });
  });
}

async function measure(worker) {
  const t0 = performance.now();
  const srv = await startServer({ log: false, ...(worker ? { worker: true } : {}) });
  const c = await client(srv.port);
  await c.cmd('PING');
  const startMs = performance.now() - t0;
  const t1 = performance.now();
  for (let i = 0; i < OPS; i++) {
    await c.cmd('SET', 'k' + (i % 100), 'v');
    await c.cmd('GET', 'k' + (i % 100));
  }
  const opsPerSec = (2 * OPS) / ((performance.now() - t1) / 1000);
  c.close();
  await srv.close();
  return { startMs: Math.round(startMs), opsPerSec: Math.round(opsPerSec) };
}

const main = await measure(false);
const worker = await measure(true);
console.log(JSON.stringify({ ops: OPS, main, worker, ratio: +(worker.opsPerSec / main.opsPerSec).toFixed(2) }));
