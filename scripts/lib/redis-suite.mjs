// Runs Redis 7.0.15's own TCL test suite against redlua and redis-server, file by file, and checks the must-pass list
// (Redis: tests/test_helper.tcl is the harness; this only starts servers, runs it and reads its "[ok]: name" lines).
// Called by scripts/redis-tests.sh, which fetches and prepares the trees; see docs/CONFORMANCE.md.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const usage = `usage: redis-suite.mjs --mode external|full --tree DIR [--redis-tree DIR] [--servers redlua,redis]
  [--base-port N] [--jobs N] [--timeout SEC] [--must-pass FILE] [--update] [--retries N] [--out DIR] [--harness-args "..."] [unit/X ...]`;

function parseArgv(argv) {
  const o = { mode: 'external', retries: 1, servers: null, basePort: 21000, jobs: 1, timeout: 300, update: false, files: [], harnessArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) fail(`${a} needs a value\n${usage}`);
      return argv[++i];
    };
    if (a === '--mode') o.mode = next();
    else if (a === '--tree') o.tree = path.resolve(next());
    else if (a === '--redis-tree') o.redisTree = path.resolve(next());
    else if (a === '--servers') o.servers = next().split(',').filter(Boolean);
    else if (a === '--base-port') o.basePort = Number(next());
    else if (a === '--jobs') o.jobs = Math.max(1, Number(next()));
    else if (a === '--timeout') o.timeout = Number(next());
    else if (a === '--must-pass') o.mustPass = path.resolve(next());
    else if (a === '--update') o.update = true;
    else if (a === '--retries') o.retries = Number(next());
    else if (a === '--out') o.out = path.resolve(next());
    else if (a === '--redlua') o.redlua = path.resolve(next());
    else if (a === '--harness-args') o.harnessArgs = next().split(/\s+/).filter(Boolean);
    else if (a.startsWith('-')) fail(`unknown option ${a}\n${usage}`);
    else o.files.push(a.replace(/^tests\//, '').replace(/\.tcl$/, ''));
  }
  if (!o.tree || !['external', 'full'].includes(o.mode)) fail(usage);
  return o;
}

function fail(msg) {
  process.stderr.write(msg + '\n');
  process.exit(2);
}

/** The files plain ./runtest runs: test_helper.tcl's ::all_tests list. */
function allTests(tree) {
  const src = fs.readFileSync(path.join(tree, 'tests/test_helper.tcl'), 'utf8');
  const m = /set ::all_tests \{([^}]*)\}/.exec(src);
  return m ? m[1].split(/\s+/).filter(Boolean) : [];
}

function hasCommand(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Resolves once something on 127.0.0.1:port answers PING with +PONG (or rejects when the process exits first). */
function waitPong(port, proc, deadlineMs) {
  const until = Date.now() + deadlineMs;
  return new Promise((resolve, reject) => {
    let exited = false;
    proc.once('exit', code => {
      exited = true;
      reject(new Error(`server exited with ${code} before answering`));
    });
    const attempt = () => {
      if (exited) return;
      if (Date.now() > until) return reject(new Error('server did not answer PING in time'));
      const s = net.connect(port, '127.0.0.1');
      let buf = '';
      s.on('connect', () => s.write('PING\r\n'));
      s.on('data', d => {
        buf += d;
        if (buf.includes('\r\n')) {
          s.destroy();
          if (buf.startsWith('+PONG')) resolve();
          else setTimeout(attempt, 100);
        }
      });
      s.on('error', () => {
        s.destroy();
        setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/** Kills a process group started with detached: true (the server or the harness and everything it spawned). */
function killGroup(proc, signal = 'SIGKILL') {
  // also after the leader exited: servers the harness started stay in its group
  try {
    process.kill(-proc.pid, signal);
  } catch {
    /* already gone */
  }
}

/** The options Redis's own CI gives the external server (.github/workflows/external.yml), plus a private dir. */
function externalServerArgs(port, dir) {
  return ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, '--logfile', path.join(dir, 'server.log'),
    '--enable-protected-configs', 'yes', '--enable-debug-command', 'yes', '--enable-module-command', 'yes'];
}

const ANSI = /\x1b\[[0-9;]*m/g;

/** Reads the harness's report: each "[ok]: name (N ms)", "[err]: name in tests/…", "[exception]: …", "[skip]"/"[ignore]". */
export function parseHarnessOutput(text) {
  const tests = [];
  let exception = null;
  const lines = text.replace(ANSI, '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    let m;
    if ((m = /^\[ok\]: (.*) \(\d+ ms\)$/.exec(l))) tests.push({ name: m[1], status: 'ok' });
    else if ((m = /^\[err\]: (.*?)(?: in (?:tests\/)?[\w/.-]+\.tcl)?$/.exec(l))) tests.push({ name: m[1], status: 'err', detail: lines[i + 1] ?? '' });
    else if ((m = /^\[skip\]: (.*)$/.exec(l))) tests.push({ name: m[1], status: 'skip' });
    else if ((m = /^\[ignore\]: (.*)$/.exec(l))) tests.push({ name: m[1], status: 'ignore' });
    else if ((m = /^\[exception\]: (.*)$/.exec(l))) exception = [m[1], ...lines.slice(i + 1, i + 4)].join(' | ').slice(0, 400);
    else if (/^\[TIMEOUT\]/.test(l)) exception = 'harness TIMEOUT (no progress)';
  }
  return { tests, exception };
}

function count(tests, status) {
  return tests.filter(t => t.status === status).length;
}

class Runner {
  constructor(o) {
    this.o = o;
    this.out = o.out ?? path.join(path.dirname(o.tree), 'results');
    fs.mkdirSync(this.out, { recursive: true });
    this.redlua = o.redlua;
  }

  /**
   * The tree a job slot runs in: the harness empties tests/tmp when it starts, so parallel jobs each get their own copy
   * of tests/ (and of the src/ wrappers and runtest), made once.
   */
  treeFor(server, slot) {
    const tree = server === 'redlua' ? this.o.tree : this.o.redisTree ?? this.o.tree;
    if (slot === 0) return tree;
    const copy = `${tree}.job${slot}`;
    if (!fs.existsSync(path.join(copy, '.complete'))) {
      fs.rmSync(copy, { recursive: true, force: true });
      fs.mkdirSync(path.join(copy, 'src'), { recursive: true });
      fs.cpSync(path.join(tree, 'tests'), path.join(copy, 'tests'), { recursive: true, filter: f => !f.startsWith(path.join(tree, 'tests/tmp/')) });
      fs.copyFileSync(path.join(tree, 'runtest'), path.join(copy, 'runtest'));
      fs.writeFileSync(path.join(copy, '.complete'), '');
    }
    // the wrappers are rewritten by every scripts/redis-tests.sh run: copy them each time
    for (const f of fs.readdirSync(path.join(tree, 'src'))) if (f.startsWith('redis-') && !f.includes('.')) fs.copyFileSync(path.join(tree, 'src', f), path.join(copy, 'src', f));
    return copy;
  }

  /** One harness run of one file against one server; slot picks a private port range. */
  async runOne(file, server, slot) {
    const o = this.o;
    const base = o.basePort + slot * 100;
    const tree = this.treeFor(server, slot);
    const tag = `${server}-${file.replace(/\//g, '_')}`;
    const dir = fs.mkdtempSync(path.join(this.out, `${tag}.`));
    const t0 = Date.now();
    let srv = null;
    // base: the external server; base+8..39: the harness's own test server (it takes baseport-32..baseport-1);
    // base+40..99: servers the harness starts
    const harness = ['tests/test_helper.tcl', '--single', file, '--clients', '1', '--baseport', String(base + 40), '--portcount', '60', '--timeout', String(o.timeout), ...o.harnessArgs];
    try {
      if (o.mode === 'external') {
        const args = externalServerArgs(base, dir);
        srv = server === 'redlua'
          ? spawn(process.execPath, [this.redlua, ...args], { detached: true, stdio: 'ignore' })
          : spawn('redis-server', args, { detached: true, stdio: 'ignore' });
        await waitPong(base, srv, 60000);
        harness.push('--host', '127.0.0.1', '--port', String(base));
      }
      const res = await this.harness(tree, harness, path.join(this.out, `${tag}.out`));
      const parsed = parseHarnessOutput(res.text);
      return { file, server, ...parsed, timedOut: res.timedOut, code: res.code, seconds: Math.round((Date.now() - t0) / 1000) };
    } catch (e) {
      return { file, server, tests: [], exception: `could not start: ${e.message}`, timedOut: false, code: null, seconds: Math.round((Date.now() - t0) / 1000) };
    } finally {
      if (srv) {
        // the next file reuses the port: wait until the server is gone
        const gone = new Promise(r => (srv.exitCode !== null || srv.signalCode !== null ? r() : srv.once('exit', r)));
        killGroup(srv);
        await gone;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  harness(tree, args, outFile) {
    return new Promise(resolve => {
      const fd = fs.openSync(outFile, 'w');
      const p = spawn('tclsh', args, { cwd: tree, detached: true, stdio: ['ignore', fd, fd], env: { ...process.env, TERM: 'dumb' } });
      let timedOut = false;
      // The harness's own --timeout only fires without progress; this bounds the whole file.
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup(p);
      }, this.o.timeout * 1000);
      p.on('exit', code => {
        clearTimeout(timer);
        killGroup(p); // servers the harness started in full mode
        fs.closeSync(fd);
        resolve({ code, timedOut, text: fs.readFileSync(outFile, 'utf8') });
      });
    });
  }

  async run(files, servers) {
    const tasks = [];
    for (const f of files) for (const s of servers) tasks.push([f, s]);
    const results = [];
    let next = 0;
    const worker = async slot => {
      while (next < tasks.length) {
        const [f, s] = tasks[next++];
        const r = await this.runOne(f, s, slot);
        results.push(r);
        process.stderr.write(`[redis-suite] ${s.padEnd(6)} ${f.padEnd(28)} ${fmt(r)}  (${r.seconds}s)\n`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.o.jobs, tasks.length) }, (_, i) => worker(i)));
    return results;
  }
}

function fmt(r) {
  const state = r.timedOut ? 'timeout' : r.exception ? 'exception' : 'end';
  return `ok ${String(count(r.tests, 'ok')).padStart(4)} err ${String(count(r.tests, 'err')).padStart(3)} ${state.padEnd(9)}`;
}

function table(files, results, servers) {
  const get = (f, s) => results.find(r => r.file === f && r.server === s);
  const head = ['file', ...servers.flatMap(s => [`${s} ok`, 'err', 'exc', 'timeout'])];
  const rows = [head];
  const total = servers.map(() => [0, 0, 0, 0]);
  for (const f of files) {
    const row = [f];
    servers.forEach((s, i) => {
      const r = get(f, s);
      const v = r ? [count(r.tests, 'ok'), count(r.tests, 'err'), r.exception && !r.timedOut ? 1 : 0, r.timedOut ? 1 : 0] : [0, 0, 0, 0];
      v.forEach((x, j) => (total[i][j] += x));
      row.push(...v.map(String));
    });
    rows.push(row);
  }
  rows.push(['total', ...total.flatMap(t => t.map(String))]);
  const w = head.map((_, j) => Math.max(...rows.map(r => r[j].length)));
  return rows.map(r => '| ' + r.map((c, j) => (j === 0 ? c.padEnd(w[j]) : c.padStart(w[j]))).join(' | ') + ' |').join('\n').replace(/\n/, '\n|' + w.map(n => '-'.repeat(n + 2)).join('|') + '|\n');
}

/** must-pass.txt: "unit/file<TAB>exact test name" per line; '#' comments. */
function readMustPass(file) {
  if (!file || !fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(l => l && !l.startsWith('#')).map(l => {
    const tab = l.indexOf('\t');
    return { file: l.slice(0, tab), name: l.slice(tab + 1) };
  });
}

/** A test passes when the run reported it ok and never err (names can repeat inside a file). */
export function passedSet(r) {
  const ok = new Set(r.tests.filter(t => t.status === 'ok').map(t => t.name));
  for (const t of r.tests) if (t.status === 'err') ok.delete(t.name);
  return ok;
}

async function main() {
  const o = parseArgv(process.argv.slice(2));
  const files = o.files.length ? o.files : allTests(o.tree);
  const servers = o.servers ?? ['redlua', ...(hasCommand('redis-server') ? ['redis'] : [])];
  if (o.mode === 'external' && servers.includes('redis') && !hasCommand('redis-server')) fail('redis-server is not installed');
  const runner = new Runner(o);
  const t0 = Date.now();
  const results = await runner.run(files, servers);
  const secs = Math.round((Date.now() - t0) / 1000);
  process.stdout.write(`\n${o.mode} mode, ${files.length} files, ${secs}s wall\n\n${table(files, results, servers)}\n`);
  const aborts = results.filter(r => r.exception || r.timedOut);
  if (aborts.length) {
    process.stdout.write('\nfiles that did not run to their end:\n');
    for (const r of aborts) process.stdout.write(`  ${r.server} ${r.file}: ${r.timedOut ? 'timeout after ' + o.timeout + 's' : r.exception}\n`);
  }
  fs.writeFileSync(path.join(runner.out, `${o.mode}.json`), JSON.stringify({ mode: o.mode, seconds: secs, results }, null, 1));

  // the must-pass list is about redlua
  const mine = results.filter(r => r.server === 'redlua');
  if (!mine.length || !o.mustPass) return;
  const ran = new Set(mine.map(r => r.file));
  const listed = readMustPass(o.mustPass);
  if (o.update) {
    const kept = listed.filter(e => !ran.has(e.file));
    const fresh = mine.flatMap(r => [...passedSet(r)].map(name => ({ file: r.file, name })));
    const all = [...kept, ...fresh].sort((a, b) => (a.file === b.file ? (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) : a.file < b.file ? -1 : 1));
    const header = '# Tests of Redis 7.0.15\'s suite that redlua passes and must keep passing: "file<TAB>test name".\n# Regenerate with scripts/redis-tests.sh --update (see docs/CONFORMANCE.md).\n';
    fs.writeFileSync(o.mustPass, header + all.map(e => `${e.file}\t${e.name}`).join('\n') + '\n');
    process.stdout.write(`\nmust-pass list updated: ${all.length} tests (${fresh.length} from this run)\n`);
    return;
  }
  const byFile = new Map(mine.map(r => [r.file, passedSet(r)]));
  let missing = listed.filter(e => ran.has(e.file) && !byFile.get(e.file).has(e.name));
  const checked = listed.filter(e => ran.has(e.file)).length;
  for (let round = 0; missing.length && round < o.retries; round++) {
    // timing-sensitive tests on a loaded machine: a file with a must-pass miss runs once more, and a test counts as
    // passed when either run passed it
    const again = [...new Set(missing.map(e => e.file))];
    process.stdout.write(`
${missing.length} must-pass tests missed; running ${again.join(' ')} once more
`);
    for (const r of await runner.run(again, ['redlua'])) for (const n of passedSet(r)) byFile.get(r.file).add(n);
    missing = missing.filter(e => !byFile.get(e.file).has(e.name));
  }
  if (missing.length) {
    process.stdout.write(`\nREGRESSION: ${missing.length} of the ${checked} must-pass tests in these files did not pass:\n`);
    for (const e of missing) process.stdout.write(`  ${e.file}: ${e.name}\n`);
    process.exitCode = 1;
  } else process.stdout.write(`\nmust-pass: all ${checked} listed tests in these files passed\n`);
}

// run as a program, not when a test imports the parser
if (process.argv[1] && fs.realpathSync(process.argv[1]) === fs.realpathSync(new URL(import.meta.url))) await main();
