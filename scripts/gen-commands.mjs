#!/usr/bin/env node
// Generates src/commands/table.json from a live Redis 7.0 server's own COMMAND and COMMAND DOCS replies (RESP3).
// The command table is never typed by hand: re-run this with Debian's redis-server 7.0.15 on PATH.
//   node scripts/gen-commands.mjs [redis-server binary] [redis source dir]
// COMMAND INFO does not show every flag (MAY_REPLICATE, PROTECTED, …); when Redis's source tree is given (Debian's
// `apt-get source redis`), those flags are read from its src/commands/*.json and recorded as "hiddenFlags".
import net from 'node:net';
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = process.argv[2] || 'redis-server';
const srcDir = process.argv[3] || null;
const SHOWN = new Set(['WRITE', 'READONLY', 'DENYOOM', 'MODULE', 'ADMIN', 'PUBSUB', 'NOSCRIPT', 'BLOCKING', 'LOADING', 'STALE',
  'SKIP_MONITOR', 'SKIP_SLOWLOG', 'ASKING', 'FAST', 'NO_AUTH', 'NO_MANDATORY_KEYS', 'NO_ASYNC_LOADING', 'NO_MULTI', 'ALLOW_BUSY']);

/** fullname ("get", "client|list") → flags from the source JSON that COMMAND INFO does not print. */
function hiddenFlagsFromSource() {
  const out = {};
  if (!srcDir) return out;
  const dir = path.join(srcDir, 'src/commands');
  for (const f of fs.readdirSync(dir).filter(f => f.endsWith('.json'))) {
    const doc = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    for (const [name, def] of Object.entries(doc)) {
      const full = def.container ? `${def.container.toLowerCase()}|${name.toLowerCase()}` : name.toLowerCase();
      const hidden = (def.command_flags || []).filter(x => !SHOWN.has(x)).map(x => x.toLowerCase());
      if (hidden.length) out[full] = hidden;
    }
  }
  return out;
}
const port = 20000 + Math.floor(Math.random() * 20000);

// Minimal RESP3 reader producing a compact JSON encoding of the typed reply tree:
//   bulk -> string, integer -> number, simple -> {"+":s}, array -> [..], map -> {"%":[k,v,...]}, set -> {"~":[..]}, null -> null
function parse(buf, pos) {
  const nl = buf.indexOf('\r\n', pos);
  if (nl < 0) return null;
  const type = String.fromCharCode(buf[pos]);
  const line = buf.toString('latin1', pos + 1, nl);
  let next = nl + 2;
  switch (type) {
    case '+': return [{ '+': line }, next];
    case '-': return [{ '-': line }, next];
    case ':': return [Number(line), next];
    case '_': return [null, next];
    case '#': return [line === 't', next];
    case '=': case '$': {
      const n = Number(line);
      if (n < 0) return [null, next];
      if (buf.length < next + n + 2) return null;
      const str = buf.toString('latin1', next, next + n);
      return [type === '=' ? { '=': str } : str, next + n + 2];
    }
    case '*': case '%': case '~': {
      let n = Number(line);
      if (type === '%') n *= 2;
      const out = [];
      for (let i = 0; i < n; i++) {
        const r = parse(buf, next);
        if (!r) return null;
        out.push(r[0]);
        next = r[1];
      }
      return [type === '*' ? out : { [type]: out }, next];
    }
    default: throw new Error('unexpected RESP type ' + type);
  }
}

function enc(args) {
  return Buffer.concat([Buffer.from(`*${args.length}\r\n`), ...args.map(a => Buffer.from(`$${Buffer.byteLength(a)}\r\n${a}\r\n`))]);
}

async function query(sock, args) {
  return new Promise((resolve, reject) => {
    let acc = Buffer.alloc(0);
    const onData = d => {
      acc = Buffer.concat([acc, d]);
      const r = parse(acc, 0);
      if (r) { sock.off('data', onData); resolve(r[0]); }
    };
    sock.on('data', onData);
    sock.once('error', reject);
    sock.write(enc(args));
  });
}

const srv = spawn(bin, ['--port', String(port), '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1'], { stdio: 'ignore' });
try {
  let sock;
  for (let i = 0; i < 50; i++) {
    try {
      sock = await new Promise((res, rej) => { const s = net.connect(port, '127.0.0.1', () => res(s)); s.once('error', rej); });
      break;
    } catch { await new Promise(r => setTimeout(r, 100)); }
  }
  if (!sock) throw new Error('could not connect to ' + bin);
  await query(sock, ['HELLO', '3']);
  const version = (await query(sock, ['INFO', 'server']))['='].match(/redis_version:(\S+)/)[1];
  const all = await query(sock, ['COMMAND']);
  const docs = (await query(sock, ['COMMAND', 'DOCS']))['%'];
  const docMap = {};
  for (let i = 0; i < docs.length; i += 2) docMap[docs[i]] = docs[i + 1];
  all.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const commands = {};
  const hidden = hiddenFlagsFromSource();
  for (const info of all) {
    const name = info[0];
    const entry = { info, docs: docMap[name] ?? null };
    if (hidden[name]) entry.hiddenFlags = hidden[name];
    const subHidden = {};
    for (const sub of Array.isArray(info[9]) ? info[9] : []) if (hidden[sub[0]]) subHidden[sub[0]] = hidden[sub[0]];
    if (Object.keys(subHidden).length) entry.subHiddenFlags = subHidden;
    commands[name] = entry;
  }
  const out = {
    generatedFrom: `redis-server ${version} COMMAND + COMMAND DOCS (RESP3)` + (srcDir ? ' + hidden flags from src/commands/*.json' : ''),
    commands,
  };
  const file = path.join(root, 'src/commands/table.json');
  fs.writeFileSync(file, JSON.stringify(out) + '\n');
  console.log(`wrote ${file}: ${all.length} commands from redis ${version}`);
  sock.destroy();
} finally {
  srv.kill('SIGKILL');
}
