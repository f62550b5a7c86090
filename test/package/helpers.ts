// Helpers for the package tests: `npm pack` of this checkout, fresh temporary projects that install the tarball
// offline-friendly, and waiting for a server to answer PING (no Redis counterpart: Redis ships no npm package).
import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** the repository root (dist/test/package → ../../..) */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (asynchronously, so the test runner's other work goes on). */
export function run(cmd: string, args: string[], opts: SpawnOptions & { timeoutMs?: number } = {}): Promise<Run> {
  return new Promise(resolve => {
    const p = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout!.on('data', d => (stdout += d));
    p.stderr!.on('data', d => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), opts.timeoutMs ?? 300_000);
    p.on('error', e => {
      clearTimeout(timer);
      resolve({ status: null, stdout, stderr: stderr + String(e) });
    });
    p.on('close', status => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

export function npmAvailable(): boolean {
  return spawnSync('npm', ['--version'], { encoding: 'utf8' }).status === 0;
}

let packed: Promise<string> | null = null;

/** `npm pack` of the built checkout, once per process; resolves to the tarball's path. */
export function packTarball(): Promise<string> {
  return (packed ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redlua-pack-'));
    const r = await run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: REPO });
    if (r.status !== 0) throw new Error(`npm pack failed: ${r.stderr}`);
    const [info] = JSON.parse(r.stdout) as { filename: string }[];
    return path.join(dir, info.filename);
  })());
}

/** The files `npm pack` would ship, as listed by `npm pack --dry-run --json`. */
export async function packedFiles(): Promise<string[]> {
  const r = await run('npm', ['pack', '--dry-run', '--json'], { cwd: REPO });
  if (r.status !== 0) throw new Error(`npm pack --dry-run failed: ${r.stderr}`);
  const [info] = JSON.parse(r.stdout) as { files: { path: string }[] }[];
  return info.files.map(f => f.path);
}

/** A fresh temporary project (its own package.json), removed by the returned cleanup. */
export function tempProject(pkg: Record<string, unknown> = {}): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redlua-proj-'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'redlua-consumer', version: '1.0.0', private: true, ...pkg }, null, 2));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * `npm install --prefer-offline` of `specs` into `dir`. Resolves to null on success, or to npm's reason when it could
 * not install (offline, registry unreachable): callers skip then.
 */
export async function npmInstall(dir: string, specs: string[]): Promise<string | null> {
  const r = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...specs], { cwd: dir });
  if (r.status === 0) return null;
  return (r.stderr.trim().split('\n').slice(-3).join(' ') || `npm install exited ${r.status}`).slice(0, 300);
}

/** One PING on a fresh connection: true on +PONG. */
export function pingOnce(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise(res => {
    const s = net.connect(port, host, () => s.write('PING\r\n'));
    let got = '';
    s.on('data', d => {
      got += d.toString('latin1');
      if (got.includes('\r\n')) {
        s.destroy();
        res(got === '+PONG\r\n');
      }
    });
    s.once('error', () => res(false));
  });
}

/** Polls `cond` until it holds, failing after `deadlineMs` (generous: tests run under load). */
export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, deadlineMs = 60_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 50));
  }
}

/** true while a process with this pid exists */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
