// The README's examples run as written: each examples/<runner>/ project is copied into a fresh directory, installs
// the packed redlua and its runner from npm (skipped when npm cannot install), and its test script must pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { REPO, npmAvailable, npmInstall, packTarball, run, tempProject } from './helpers.js';

interface Example {
  dir: string;
  /** the line a passing run prints with its count of passed tests */
  passed: RegExp;
}

const EXAMPLES: Example[] = [
  { dir: 'node-test', passed: /^# pass 2$/m },
  { dir: 'vitest', passed: /Tests\s+2 passed/ },
  { dir: 'jest', passed: /Tests:\s+2 passed, 2 total/ },
];

const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');

for (const ex of EXAMPLES) {
  const src = path.join(REPO, 'examples', ex.dir);
  const files = fs.readdirSync(src).filter(f => f !== 'package.json');

  test(`examples/${ex.dir}: the README shows its files as they are`, () => {
    for (const f of files) assert.ok(readme.includes(fs.readFileSync(path.join(src, f), 'utf8').trim()), `README.md shows examples/${ex.dir}/${f}`);
  });

  test(`examples/${ex.dir}: passes in a fresh project`, async t => {
    if (!npmAvailable()) return t.skip('npm is not installed');
    const pkg = JSON.parse(fs.readFileSync(path.join(src, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const tgz = await packTarball();
    const deps = Object.entries(pkg.devDependencies).map(([name, range]) => (name === 'redlua' ? tgz : `${name}@${range}`));
    const { devDependencies: _, ...rest } = pkg;
    const proj = tempProject(rest);
    try {
      for (const f of files) fs.copyFileSync(path.join(src, f), path.join(proj.dir, f));
      const failed = await npmInstall(proj.dir, ['--save-dev', ...deps]);
      if (failed) return t.skip(`cannot install the example's dependencies: ${failed}`);
      // as from a plain shell: not inside this test runner (NODE_TEST_CONTEXT), no colours in the output
      const { NODE_TEST_CONTEXT: _ctx, FORCE_COLOR: _fc, ...env } = process.env;
      const r = await run('npm', ['test'], { cwd: proj.dir, timeoutMs: 300_000, env: { ...env, CI: 'true', NO_COLOR: '1' } });
      const out = r.stdout + r.stderr;
      assert.equal(r.status, 0, out);
      assert.match(out, ex.passed);
    } finally {
      proj.cleanup();
    }
  });
}
