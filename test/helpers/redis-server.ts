// Test helper: starts a real redis-server (the oracle) on a free port when one is installed.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function redisServerAvailable(): boolean {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return r.status === 0 && /v=7\.0\./.test(r.stdout);
}

/** True when the live differential must run (CI sets REDLUA_LIVE=1; recording implies live). */
export function liveMode(): boolean {
  return process.env.REDLUA_LIVE === '1' || process.env.REDLUA_RECORD === '1';
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
    s.once('error', reject);
  });
}

export interface Oracle {
  port: number;
  proc: ChildProcess;
  stop(): Promise<void>;
}

export async function startRedis(extra: string[] = []): Promise<Oracle> {
  const port = await freePort();
  // its own directory, so SAVE/BGSAVE/DEBUG RELOAD never write a dump.rdb into the working tree
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redlua-oracle-'));
  const proc = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--enable-debug-command', 'yes', '--dir', dir, ...extra],
    { stdio: 'ignore' },
  );
  proc.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>(res => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        res(true);
      });
      s.once('error', () => res(false));
    });
    if (ok) break;
    await new Promise(r => setTimeout(r, 50));
  }
  return {
    port,
    proc,
    stop: () =>
      new Promise<void>(res => {
        proc.once('exit', () => res());
        proc.kill('SIGKILL');
      }),
  };
}
