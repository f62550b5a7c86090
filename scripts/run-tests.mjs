// `npm test`'s runner: node's test runner over every built test file, two files at a time.
//
// Not with --test-force-exit: with concurrency, Node's runner then drops the verdicts of tests that did run (the
// parent reports fewer tests than ran, and exits 0: nodejs/node#64833; here ~40 of 2671 went missing). What that
// flag was for, a failing test that leaves a server open and so keeps its file's process alive, is bounded here
// instead: past the budget the run is stopped and fails, saying so.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUDGET_MS = Number(process.env.REDLUA_TEST_BUDGET_S ?? 1500) * 1000;

function testFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...testFiles(p));
    else if (e.name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const files = testFiles(path.join(root, 'dist', 'test')).sort();
const child = spawn(
  process.execPath,
  ['--test', '--test-concurrency=2', '--test-timeout=240000', ...process.argv.slice(2), ...files],
  // a process group of its own, so that stopping it also stops the test files' processes
  { stdio: 'inherit', cwd: root, detached: true },
);
const killGroup = sig => {
  try {
    process.kill(-child.pid, sig);
  } catch {
    /* already gone */
  }
};
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => killGroup(sig));
const watchdog = setTimeout(() => {
  process.stderr.write(`\nnpm test: still running after ${BUDGET_MS / 1000} s (a test left something open?): stopped\n`);
  killGroup('SIGKILL');
}, BUDGET_MS);
watchdog.unref();
child.on('exit', (code, signal) => {
  clearTimeout(watchdog);
  process.exit(signal ? 1 : (code ?? 1));
});
