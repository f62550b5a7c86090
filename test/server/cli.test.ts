// redlua-server CLI: redis-server's argument conventions, its fatal config error report, JSON logs, graceful signals.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';
import { RawConn } from '../helpers/conn.js';
import { parseArgs } from '../../src/cli.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.resolve(here, '../../src/cli.js');

/** Polls a condition until it holds (generous deadline: the machine may be loaded). */
async function until(cond: () => boolean, ms = 20000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise(r => setTimeout(r, 20));
  }
}

function freePort(): Promise<number> {
  return new Promise(resolve => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

function runSync(args: string[], input?: string) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input, timeout: 10000 });
}

/** Starts the CLI and resolves, once it is ready, with the port it announced in its log (Redis format or JSON). */
/** A fresh working directory per server: one shut down with save points leaves a dump.rdb the next would load. */
function runDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'redlua-cli-run-'));
}

function startCli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ proc: ReturnType<typeof spawn>; port: number; logs: string[] }> {
  return new Promise((resolve, reject) => {
    // in a directory of its own: a server shut down with save points writes dump.rdb to its dir (the cwd)
    const proc = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env, cwd: runDir() });
    let port = 0;
    const logs: string[] = [];
    let buf = '';
    proc.stdout!.on('data', d => {
      buf += d;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        logs.push(line);
        const m = /Running mode=standalone, port=(\d+)\.|Port: (\d+)/.exec(line);
        if (m) port = Number(m[1] ?? m[2]);
        if (line.includes('Ready to accept connections')) resolve({ proc, port, logs });
      }
    });
    proc.on('exit', code => reject(new Error(`exited with ${code}: ${logs.join('\n')}`)));
  });
}

describe('redlua-server CLI', () => {
  test('unknown directive: the same report as redis-server, exit 1', () => {
    const r = runSync(['--foo', 'bar']);
    assert.equal(r.status, 1);
    assert.equal(
      r.stderr,
      "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n>>> 'foo \"bar\"'\nBad directive or wrong number of arguments\n",
    );
  });

  test('bad values and argument counts', () => {
    assert.equal(runSync(['--port', 'abc']).stderr.split('\n').slice(3).join('\n'), ">>> 'port \"abc\"'\nargument couldn't be parsed into an integer\n");
    assert.equal(runSync(['--port']).stderr.split('\n').slice(3).join('\n'), ">>> 'port'\nwrong number of arguments\n");
    assert.equal(runSync(['--port', '1', '2']).stderr.split('\n').slice(3).join('\n'), ">>> 'port \"1\" \"2\"'\nwrong number of arguments\n");
    assert.match(runSync(['--maxmemory-policy', 'foo']).stderr, /argument\(s\) must be one of the following: volatile-lru, /);
    assert.match(runSync(['--protected-mode', 'maybe']).stderr, /argument must be 'yes' or 'no'\n$/);
  });

  test('config file errors report the file line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redlua-cli-'));
    const conf = path.join(dir, 'redis.conf');
    fs.writeFileSync(conf, '# comment\nport 7000\n\nnosuch-directive yes\n');
    const r = runSync([conf]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 4\n>>> 'nosuch-directive yes'\nBad directive or wrong number of arguments\n");
    const missing = runSync([path.join(dir, 'missing.conf')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stdout, /# Fatal error, can't open config file '.*missing\.conf': No such file or directory\n$/);
    fs.rmSync(dir, { recursive: true });
  });

  test('-v and --help', () => {
    assert.match(runSync(['-v']).stdout, /^Redis server v=7\.0\.15 /);
    const h = runSync(['--help']);
    assert.equal(h.status, 1);
    assert.match(h.stderr, /^Usage: \.\/redlua-server \[\/path\/to\/redis\.conf\] \[options\] \[-\]/);
  });

  test('argument conversion follows redis-server (quoting, multi-word values, --save alone)', () => {
    assert.deepEqual(parseArgs(['--port', '7000', '--save', '900', '1']), { configFile: null, fromStdin: false, options: 'port "7000" \nsave "900" "1" ' });
    assert.equal(parseArgs(['--save', '--port', '1']).options, 'save ""\nport "1" ');
    assert.equal(parseArgs(['--requirepass', 'a "b\\']).options, 'requirepass "a \\"b\\\\" ');
    assert.equal(parseArgs(['--port 7000']).options, 'port 7000 ');
    assert.equal(parseArgs(['-']).fromStdin, true);
  });

  test('config file + command line, JSON logs (--log-format json), SIGTERM shuts down gracefully', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redlua-cli-'));
    const conf = path.join(dir, 'redis.conf');
    fs.writeFileSync(conf, 'port 0\nrequirepass "from file"\nappendfsync everysec\nrepl-backlog-size 1mb\n');
    const { proc, port, logs } = await startCli([conf, '--log-format', 'json', '--requirepass', 's3cret', '--databases', '4']);
    try {
      for (const l of logs) assert.doesNotThrow(() => JSON.parse(l), `log line is JSON: ${l}`);
      const c = await RawConn.connect(port);
      assert.equal((await c.call(['PING'])).toString(), '-NOAUTH Authentication required.\r\n');
      assert.equal((await c.call(['AUTH', 's3cret'])).toString(), '+OK\r\n');
      assert.equal((await c.call(['SELECT', '3'])).toString(), '+OK\r\n');
      assert.equal((await c.call(['SELECT', '4'])).toString(), '-ERR DB index is out of range\r\n');
      c.close();
      const exited = new Promise<number | null>(r => proc.on('exit', code => r(code)));
      proc.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.ok(logs.some(l => l.includes('Received SIGTERM scheduling shutdown')));
      assert.ok(logs.some(l => l.includes('ready to exit, bye bye')));
    } finally {
      proc.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true });
    }
  });

  test('SIGINT shuts down gracefully too', async () => {
    const { proc, port } = await startCli(['--port', '0']);
    const c = await RawConn.connect(port);
    assert.equal((await c.call(['PING'])).toString(), '+PONG\r\n');
    const exited = new Promise<number | null>(r => proc.on('exit', code => r(code)));
    proc.kill('SIGINT');
    assert.equal(await exited, 0);
    await c.waitClose();
  });

  test('shutdown signals while a script is busy: the first schedules the shutdown, a second SIGINT or SIGTERM exits at once', async () => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      const { proc, port, logs } = await startCli(['--port', '0', '--busy-reply-threshold', '100']);
      try {
        const runner = await RawConn.connect(port);
        runner.send(['EVAL', 'while true do end', '0']);
        const probe = await RawConn.connect(port);
        // the script is busy once other clients get -BUSY (they are served from the count hook)
        for (;;) {
          const r = (await probe.call(['PING'])).toString();
          if (r.startsWith('-BUSY')) break;
          await new Promise(r => setTimeout(r, 20));
        }
        proc.kill(sig);
        // handled while the script still runs: the log line appears and the server keeps answering -BUSY
        await until(() => logs.some(l => l.includes(`Received ${sig} scheduling shutdown...`)), 5000).catch(e => { throw new Error(e.message + logs.join("\n")); });
        assert.match((await probe.call(['PING'])).toString(), /^-BUSY /);
        const exited = new Promise<number | null>(r => proc.on('exit', code => r(code)));
        proc.kill(sig);
        assert.equal(await exited, 1);
        assert.ok(logs.some(l => l.includes('You insist... exiting now.')), logs.join('\n'));
        runner.close();
        probe.close();
      } finally {
        proc.kill('SIGKILL');
      }
    }
  });

  test('a signal during a busy script that is then killed: the shutdown runs when the script ends', async () => {
    const { proc, port, logs } = await startCli(['--port', '0', '--busy-reply-threshold', '100']);
    try {
      const runner = await RawConn.connect(port);
      runner.send(['EVAL', 'while true do end', '0']);
      const probe = await RawConn.connect(port);
      for (;;) {
        const r = (await probe.call(['PING'])).toString();
        if (r.startsWith('-BUSY')) break;
        await new Promise(r => setTimeout(r, 20));
      }
      let stderr = '';
      proc.stderr!.on('data', d => (stderr += d));
      proc.kill('SIGTERM');
      await until(() => logs.some(l => l.includes('Received SIGTERM scheduling shutdown...')));
      const exited = new Promise<[number | null, string | null]>(r => proc.on('exit', (code, sig) => r([code, sig])));
      assert.equal((await probe.call(['SCRIPT', 'KILL'])).toString(), '+OK\r\n');
      const [code, sig] = await exited;
      assert.equal(code, 0, `exit ${code}, signal ${sig}\n${logs.join('\n')}\nstderr: ${stderr}`);
      assert.ok(logs.some(l => l.includes('User requested shutdown...')));
      // the event loop delivered the same SIGTERM after the script: it was not handled a second time
      assert.equal(logs.filter(l => l.includes('Received SIGTERM')).length, 1, logs.join('\n'));
    } finally {
      proc.kill('SIGKILL');
    }
  });

  test("Redis's log lines and the logo with PID (always-show-logo yes), pidfile written and removed", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redlua-cli-'));
    const pidfile = path.join(dir, 'redis.pid');
    const { proc, port, logs } = await startCli(['--port', '0', '--always-show-logo', 'yes', '--pidfile', pidfile, '--loglevel', 'verbose']);
    try {
      const pre = `${proc.pid}:C \\d\\d \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{3} # `;
      assert.match(logs[0], new RegExp(`^${pre}oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo$`));
      assert.match(logs[1], new RegExp(`^${pre}Redis version=7\\.0\\.15, bits=64, commit=00000000, modified=0, pid=${proc.pid}, just started$`));
      assert.match(logs[2], new RegExp(`^${pre}Configuration loaded$`));
      assert.ok(logs.includes(` |    \`-._   \`._    /     _.-'    |     PID: ${proc.pid}`), logs.join('\n'));
      assert.ok(logs.includes(` |\`-._\`-...-\` __...-.\`\`-._|'\` _.-'|     Port: ${port}`));
      assert.match(logs.at(-2)!, new RegExp(`^${proc.pid}:M .* # Server initialized$`));
      assert.match(logs.at(-1)!, new RegExp(`^${proc.pid}:M .* \\* Ready to accept connections$`));
      assert.equal(fs.readFileSync(pidfile, 'utf8'), `${proc.pid}\n`);
      // loglevel verbose: connections come and go in the log
      const c = await RawConn.connect(port);
      assert.equal((await c.call(['PING'])).toString(), '+PONG\r\n');
      c.close();
      await until(() => logs.some(l => / - Client closed connection id=\d+ addr=127\.0\.0\.1:\d+ .* cmd=ping /.test(l)));
      assert.ok(logs.some(l => / - Accepted 127\.0\.0\.1:\d+$/.test(l)));
      const exited = new Promise<number | null>(r => proc.on('exit', code => r(code)));
      proc.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.ok(logs.some(l => new RegExp(`^${proc.pid}:signal-handler \\(\\d+\\) Received SIGTERM scheduling shutdown\\.\\.\\.$`).test(l)));
      assert.ok(logs.some(l => / \* Removing the pid file\.$/.test(l)));
      assert.match(logs.at(-1)!, / # Redis is now ready to exit, bye bye\.\.\.$/);
      assert.equal(fs.existsSync(pidfile), false);
    } finally {
      proc.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true });
    }
  });

  test('without the logo: the one-line "Running mode" notice; loglevel warning hides the notices', async () => {
    const a = await startCli(['--port', '0']);
    assert.ok(a.logs.some(l => l.endsWith(` * Running mode=standalone, port=${a.port}.`)));
    a.proc.kill('SIGKILL');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redlua-cli-'));
    const logfile = path.join(dir, 'log');
    const proc = spawn(process.execPath, [CLI, '--port', '0', '--loglevel', 'warning', '--logfile', logfile], { stdio: 'ignore', cwd: runDir() });
    try {
      await until(() => fs.existsSync(logfile) && fs.readFileSync(logfile, 'utf8').includes('Server initialized'));
      const text = fs.readFileSync(logfile, 'utf8');
      assert.doesNotMatch(text, / \* /);
      assert.match(text, / # Configuration loaded\n/);
    } finally {
      proc.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true });
    }
  });

  test('daemonize yes: the parent returns once the daemon listens; the daemon writes pidfile and logfile, SHUTDOWN removes the pidfile', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redlua-cli-'));
    const pidfile = path.join(dir, 'd.pid');
    const logfile = path.join(dir, 'd.log');
    const port = await freePort();
    const r = runSync(['--port', String(port), '--daemonize', 'yes', '--pidfile', pidfile, '--logfile', logfile]);
    let pid = 0;
    try {
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, '');
      pid = Number(fs.readFileSync(pidfile, 'utf8'));
      assert.ok(pid > 0 && pid !== r.pid);
      const c = await RawConn.connect(port);
      assert.equal((await c.call(['CONFIG', 'GET', 'daemonize'])).toString(), '*2\r\n$9\r\ndaemonize\r\n$3\r\nyes\r\n');
      c.send(['SHUTDOWN', 'NOSAVE']);
      await c.waitClose();
      await until(() => !fs.existsSync(pidfile));
      await until(() => fs.readFileSync(logfile, 'utf8').includes('bye bye'));
      assert.match(fs.readFileSync(logfile, 'utf8'), new RegExp(`^${pid}:C .* # oO0OoO0OoO0Oo Redis is starting`));
    } finally {
      if (pid) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      fs.rmSync(dir, { recursive: true });
    }
  });

  test('daemonize yes: a daemon that cannot listen makes the parent fail', async () => {
    const blocker = net.createServer();
    await new Promise<void>(r => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = runSync(['--port', String(port), '--bind', '127.0.0.1', '--daemonize', 'yes', '--pidfile', path.join(os.tmpdir(), `redlua-never-${port}.pid`)]);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /the daemonized server \(pid \d+\) exited with 1 before accepting connections/);
    } finally {
      blocker.close();
    }
  });

  test('fatal signals: the crash report Redis logs, then death by the signal (kill -SIGABRT, DEBUG SEGFAULT)', async () => {
    for (const how of ['SIGABRT', 'DEBUG'] as const) {
      const { proc, port, logs } = await startCli(['--port', '0', '--enable-debug-command', 'yes']);
      const exited = new Promise<NodeJS.Signals | null>(r => proc.on('exit', (_code, sig) => r(sig)));
      if (how === 'SIGABRT') proc.kill('SIGABRT');
      else (await RawConn.connect(port)).send(['DEBUG', 'SEGFAULT']);
      assert.equal(await exited, how === 'SIGABRT' ? 'SIGABRT' : 'SIGSEGV');
      await until(() => logs.some(l => l.includes('REDIS BUG REPORT END')));
      assert.ok(logs.includes('=== REDIS BUG REPORT START: Cut & paste starting from here ==='));
      assert.ok(logs.some(l => l.endsWith(` # Redis 7.0.15 crashed by signal: ${how === 'SIGABRT' ? 6 : 11}, si_code: 0`)), logs.join('\n'));
    }
  });

  test('syslog-enabled yes is refused at start-up; a logfile that cannot be opened is fatal; --log-format takes redis or json', () => {
    const r = runSync(['--port', '0', '--syslog-enabled', 'yes']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^redlua: syslog-enabled yes is not supported/);
    const l = runSync(['--port', '0', '--logfile', '/nonexistent-dir/redis.log']);
    assert.equal(l.status, 1);
    assert.equal(l.stderr, "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nCan't open the log file: No such file or directory\n");
    const f = runSync(['--log-format', 'xml']);
    assert.equal(f.status, 1);
    assert.equal(f.stderr, "--log-format must be 'redis' or 'json'\n");
  });

  test('reading the config from stdin with -', async () => {
    const r = runSync(['-'], 'port 0\nnosuch 1\n');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /at line 2\n>>> 'nosuch 1'\nBad directive or wrong number of arguments\n$/);
  });
});
