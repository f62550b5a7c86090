// The listeners besides the TCP port: the Unix domain socket (unixsocket, unixsocketperm) and TLS (tls-port and the
// tls-* context directives) through node:tls (Redis: server.c initListeners/anetUnixServer, tls.c tlsConfigure).
//
// TLS connections are accepted as plain TCP and handed to a tls.Server that never listens itself, after setting its
// client-certificate mode: so each new connection gets the tls-auth-clients mode in force when it arrives, as Redis's
// per-connection SSL_set_verify does, and CONFIG SET of a tls-* directive swaps the context (setSecureContext) for
// the connections that follow. A handshake that does not finish within TLS_HANDSHAKE_TIMEOUT_MS is dropped; being
// asynchronous, it never blocks other clients.
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import tls from 'node:tls';
import crypto from 'node:crypto';
import type { Server } from './server.js';

/** sizeof(struct sockaddr_un.sun_path) on Linux */
const SUN_PATH = 108;
export const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;

export type ConnKind = 'tcp' | 'unix' | 'tls';

/** A listener that cannot be opened: `log` holds the lines Redis logs before exiting. */
export class ListenerError extends Error {
  constructor(readonly log: string[]) {
    super(log.join('; '));
  }
}

/** The TLS settings redlua honours, read from the config table. */
interface TlsSettings {
  cert: string;
  key: string;
  keyPass: string;
  caFile: string;
  caDir: string;
  protocols: string;
  ciphers: string;
  ciphersuites: string;
  preferServerCiphers: boolean;
  sessionCaching: boolean;
  sessionCacheTimeout: number;
  dhParams: string;
  authClients: string;
}

const TLS_CONTEXT_PARAMS = new Set([
  'tls-cert-file',
  'tls-key-file',
  'tls-key-file-pass',
  'tls-ca-cert-file',
  'tls-ca-cert-dir',
  'tls-protocols',
  'tls-ciphers',
  'tls-ciphersuites',
  'tls-prefer-server-ciphers',
  'tls-session-caching',
  'tls-session-cache-size',
  'tls-session-cache-timeout',
  'tls-dh-params-file',
  'tls-client-cert-file',
  'tls-client-key-file',
  'tls-client-key-file-pass',
  'tls-replication',
  'tls-cluster',
]);

export class Listeners {
  unix: net.Server | null = null;
  unixPath = '';
  /** the TLS port, one listening socket per bind address */
  tls: net.Server[] = [];
  tlsPort = 0;
  /** the TCP port's sockets for the bind addresses after the first (the first is the server's own) */
  tcpExtra: net.Server[] = [];
  /** handshakes and verification (never listening: connections are handed to it) */
  private tlsServer: tls.Server | null = null;
  /** raw TCP sockets of the TLS port still open (closed with the listener) */
  private readonly pending = new Set<net.Socket>();

  constructor(private readonly server: Server) {}

  private settings(): TlsSettings {
    const c = this.server.config;
    return {
      cert: c.get('tls-cert-file'),
      key: c.get('tls-key-file'),
      keyPass: c.get('tls-key-file-pass'),
      caFile: c.get('tls-ca-cert-file'),
      caDir: c.get('tls-ca-cert-dir'),
      protocols: c.get('tls-protocols'),
      ciphers: c.get('tls-ciphers'),
      ciphersuites: c.get('tls-ciphersuites'),
      preferServerCiphers: c.bool('tls-prefer-server-ciphers'),
      sessionCaching: c.bool('tls-session-caching'),
      sessionCacheTimeout: c.num('tls-session-cache-timeout'),
      dhParams: c.get('tls-dh-params-file'),
      authClients: c.get('tls-auth-clients'),
    };
  }

  // ---------- Unix socket ----------

  /** anetUnixServer: removes a stale socket file, listens, chmods to unixsocketperm when it is not 0. */
  async openUnix(): Promise<void> {
    const p = this.server.config.get('unixsocket');
    const perm = parseInt(this.server.config.get('unixsocketperm'), 8);
    const len = Buffer.byteLength(p);
    if (len > SUN_PATH - 1) throw new ListenerError([`Failed opening Unix socket: unix socket path too long (${len}), must be under ${SUN_PATH}`]);
    try {
      fs.unlinkSync(p); // "don't care if this fails"
    } catch {
      // absent: nothing stale to remove
    }
    const srv = net.createServer(sock => this.accept(sock, 'unix'));
    try {
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen({ path: p, backlog: this.server.config.num('tcp-backlog') }, () => resolve());
      });
      if (perm !== 0) fs.chmodSync(p, perm);
    } catch (e) {
      srv.close();
      throw new ListenerError([`Failed opening Unix socket: ${errText(e)}`]);
    }
    this.unix = srv;
    this.unixPath = p;
  }

  // ---------- TLS ----------

  /** True when any TLS use is configured (tlsConfigure runs at start-up then). */
  tlsWanted(): boolean {
    return this.server.config.num('tls-port') !== 0;
  }

  /**
   * tlsConfigure: builds the secure context from the tls-* directives. Returns the log lines of the failure, or
   * null when the context is in place.
   */
  configure(): string[] | null {
    const t = this.settings();
    if (!t.cert) return ['No tls-cert-file configured!'];
    if (!t.key) return ['No tls-key-file configured!'];
    if (t.authClients !== 'no' && !t.caFile && !t.caDir) {
      return ['Either tls-ca-cert-file or tls-ca-cert-dir must be specified when tls-cluster, tls-replication or tls-auth-clients are enabled!'];
    }
    const proto = parseProtocols(t.protocols);
    if (typeof proto === 'string') return [proto];
    const opts: tls.SecureContextOptions = { minVersion: proto.min, maxVersion: proto.max };
    let secureOptions = crypto.constants.SSL_OP_NO_SSLv2 | crypto.constants.SSL_OP_NO_SSLv3 | crypto.constants.SSL_OP_NO_COMPRESSION;
    if (!t.sessionCaching) secureOptions |= crypto.constants.SSL_OP_NO_TICKET;
    else opts.sessionTimeout = t.sessionCacheTimeout;
    opts.secureOptions = secureOptions;
    // SSL_OP_CIPHER_SERVER_PREFERENCE: node:tls servers default to the server's order, Redis to the client's
    opts.honorCipherOrder = t.preferServerCiphers;
    try {
      opts.cert = fs.readFileSync(t.cert);
    } catch (e) {
      return [`Failed to load certificate: ${t.cert}: ${errText(e)}`];
    }
    try {
      opts.key = fs.readFileSync(t.key);
      if (t.keyPass) opts.passphrase = t.keyPass;
    } catch (e) {
      return [`Failed to load private key: ${t.key}: ${errText(e)}`];
    }
    try {
      const ca: Buffer[] = [];
      if (t.caFile) ca.push(fs.readFileSync(t.caFile));
      if (t.caDir) for (const f of fs.readdirSync(t.caDir)) if (/\.(pem|crt|\d+)$/.test(f)) ca.push(fs.readFileSync(path.join(t.caDir, f)));
      if (ca.length) opts.ca = ca;
    } catch (e) {
      return [`Failed to configure CA certificate(s) file/directory: ${errText(e)}`];
    }
    if (t.dhParams) {
      try {
        opts.dhparam = fs.readFileSync(t.dhParams);
      } catch (e) {
        return [`Failed to load ${t.dhParams}: ${errText(e)}`];
      }
    }
    // TLSv1.2 ciphers and TLSv1.3 suites both go through Node's `ciphers` (OpenSSL's two lists)
    const lists: string[] = [];
    if (t.ciphersuites) lists.push(t.ciphersuites);
    if (t.ciphers) lists.push(t.ciphers);
    if (lists.length) opts.ciphers = lists.join(':');
    try {
      const ctx: tls.SecureContextOptions = t.sessionCaching ? { ...opts, sessionIdContext: 'redis' } : opts;
      tls.createSecureContext(ctx); // validates everything before anything is swapped
      if (this.tlsServer === null) this.tlsServer = this.createTlsServer(ctx);
      else this.tlsServer.setSecureContext(ctx);
    } catch (e) {
      const msg = errText(e);
      if (/key|decrypt|bad password/i.test(msg)) return [`Failed to load private key: ${t.key}: ${msg}`];
      if (/cipher/i.test(msg)) return [`Failed to configure ciphers: ${t.ciphersuites || t.ciphers}`];
      if (/dh/i.test(msg)) return [`Failed to load DH params file: ${t.dhParams}: ${msg}`];
      return [`Failed to load certificate: ${t.cert}: ${msg}`];
    }
    return null;
  }

  /** Opens the TLS port on every bind address (listenToPort); the context must be configured. */
  async openTls(port: number, binds: BindAddr[]): Promise<void> {
    const servers = await listenToPort(this.server, binds, port, sock => this.acceptTls(sock));
    this.tls = servers;
    this.tlsPort = servers.length ? (servers[0].address() as net.AddressInfo).port : 0;
  }

  private createTlsServer(ctx: tls.SecureContextOptions): tls.Server {
    const srv = tls.createServer({ ...ctx, handshakeTimeout: TLS_HANDSHAKE_TIMEOUT_MS });
    srv.on('secureConnection', (sock: tls.TLSSocket) => {
      if (!sock.destroyed) this.accept(sock, 'tls');
    });
    // a failed or timed-out handshake: drop the connection
    srv.on('tlsClientError', (_err, sock) => sock.destroy());
    return srv;
  }

  /** A raw TCP connection to the TLS port: the handshake, with the client-auth mode of this moment. */
  private acceptTls(raw: net.Socket): void {
    raw.on('error', () => {});
    const srv = this.tlsServer;
    if (srv === null) return void raw.destroy();
    this.pending.add(raw);
    raw.once('close', () => this.pending.delete(raw));
    const auth = this.server.config.get('tls-auth-clients');
    // read by node:tls's connection listener for this connection only
    const opts = srv as tls.Server & { requestCert: boolean; rejectUnauthorized: boolean };
    opts.requestCert = auth !== 'no';
    opts.rejectUnauthorized = auth === 'yes';
    srv.emit('connection', raw);
  }

  private accept(sock: net.Socket, kind: ConnKind): void {
    this.server.acceptConnection(sock, kind);
  }

  /**
   * CONFIG SET hook (applyTlsCfg, applyTLSPort): a changed tls-* directive rebuilds the context now; a changed
   * tls-port moves the TLS listener. Returns [directive, error] when the new settings cannot be applied, and CONFIG SET
   * then restores the previous values.
   */
  apply(names: string[]): [string, string] | null {
    const c = this.server.config;
    const ctxName = names.find(n => TLS_CONTEXT_PARAMS.has(n));
    const portChanged = names.includes('tls-port') && c.num('tls-port') !== this.tlsPort;
    // as applyTlsCfg: the context is rebuilt when TLS is used by anything (a port, replication, the cluster bus), and
    // a context that does not load is the first error; what redlua cannot honour is refused after it
    const wanted = this.tlsWanted() || c.bool('tls-replication') || c.bool('tls-cluster');
    if ((ctxName !== undefined && wanted) || (portChanged && this.tlsServer === null)) {
      const fail = this.configure();
      if (fail) {
        for (const l of fail) this.server.log.warning(l);
        return [portChanged ? 'tls-port' : ctxName!, 'Unable to update TLS configuration. Check server logs.'];
      }
    }
    const bad = unsupportedDirective(this.server, names);
    if (bad) return bad;
    if (ctxName === undefined && !portChanged) return null;
    if (portChanged) void this.moveTlsPort(this.server.config.num('tls-port'));
    return null;
  }

  /** changeListenPort for TLS: the new port is opened before the old one is closed. */
  private async moveTlsPort(port: number): Promise<void> {
    const old = this.tls;
    if (port !== 0) {
      try {
        await this.openTls(port, bindAddresses(this.server));
      } catch (e) {
        if (e instanceof ListenerError) for (const l of e.log) this.server.log.warning(l);
        // the old listener stays, and so does the value CONFIG GET reports
        this.server.config.setStartup('tls-port', String(this.tlsPort));
        return;
      }
    } else {
      this.tls = [];
      this.tlsPort = 0;
    }
    for (const s of old) s.close();
  }

  async close(): Promise<void> {
    for (const s of this.pending) s.destroy();
    const closing: Promise<void>[] = [];
    for (const srv of [this.unix, ...this.tls, ...this.tcpExtra]) if (srv) closing.push(new Promise(r => srv.close(() => r())));
    await Promise.all(closing);
    if (this.unix && this.unixPath) {
      try {
        fs.unlinkSync(this.unixPath);
      } catch {
        // already gone
      }
    }
    this.unix = null;
    this.tls = [];
    this.tcpExtra = [];
  }
}

export interface BindAddr {
  host: string;
  optional: boolean;
  v6: boolean;
}

/** The bind directive's addresses: "*" is every IPv4 address, "::*" every IPv6 one, a leading "-" makes it optional. */
export function bindAddresses(server: Server): BindAddr[] {
  const list = server.config.get('bind').trim().split(/\s+/).filter(Boolean);
  return list.map(a => {
    const optional = a.startsWith('-');
    const x = optional ? a.slice(1) : a;
    return { host: x === '*' ? '0.0.0.0' : x === '::*' ? '::' : x, optional, v6: x.includes(':') };
  });
}

/** listenToPort's tolerance: null if the failure is fatal, else the warning logged before skipping the address. */
function bindSkippable(e: unknown, b: BindAddr, port: number): string | null {
  const code = (e as NodeJS.ErrnoException).code;
  const fam = code === 'EAFNOSUPPORT' || code === 'EPROTONOSUPPORT' || code === 'ENOPROTOOPT' || code === 'ESOCKTNOSUPPORT' || code === 'EPFNOSUPPORT';
  if (fam || (b.optional && code === 'EADDRNOTAVAIL')) return `Warning: Could not create server TCP listening socket ${b.host}:${port}: bind: ${errText(e)}`;
  return null;
}

/** listenToPort: one listening socket per address (IPv6 ones v6-only, as anetTcp6Server sets IPV6_V6ONLY). */
async function listenToPort(server: Server, binds: BindAddr[], port: number, onConn: (s: net.Socket) => void): Promise<net.Server[]> {
  const out: net.Server[] = [];
  for (const b of binds) {
    const srv = net.createServer({ noDelay: true }, onConn);
    try {
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen({ port, host: b.host, ipv6Only: b.v6, backlog: server.config.num('tcp-backlog') }, () => resolve());
      });
      srv.on('error', () => {});
      out.push(srv);
      if (port === 0) port = (srv.address() as net.AddressInfo).port;
    } catch (e) {
      const skip = bindSkippable(e, b, port);
      if (skip !== null) {
        server.log.warning(skip);
        continue;
      }
      for (const s of out) s.close();
      throw new ListenerError([`Warning: Could not create server TCP listening socket ${b.host}:${port}: bind: ${errText(e)}`]);
    }
  }
  return out;
}

/** parseProtocolsConfig: "TLSv1.2 TLSv1.3" (case-insensitive) → the version range node:tls takes. */
function parseProtocols(s: string): { min: tls.SecureVersion; max: tls.SecureVersion } | string {
  if (!s) return { min: 'TLSv1.2', max: 'TLSv1.3' }; // REDIS_TLS_PROTO_DEFAULT
  const order: tls.SecureVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
  const on = new Set<number>();
  for (const tok of s.split(' ')) {
    const i = order.findIndex(v => v.toLowerCase() === tok.toLowerCase());
    if (i < 0) return "Invalid tls-protocols specified. Use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'.";
    on.add(i);
  }
  // OpenSSL disables the versions not listed; node takes a contiguous range, so holes are filled
  const idx = [...on].sort();
  return { min: order[idx[0]], max: order[idx[idx.length - 1]] };
}

function errText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return 'No such file or directory';
    case 'EACCES':
      return 'Permission denied';
    case 'EADDRINUSE':
      return 'Address already in use';
    default:
      return err.message ?? String(e);
  }
}

/** unixsocketperm: strtoll(value, 8) over the whole text, 0 … 0777, kept in "%o" form. */
export function parseOctalPerm(v: string): { ok: string } | { err: string } {
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-7]+)$/.exec(v);
  if (!m) return { err: "argument couldn't be parsed as an octal number" };
  let n = parseInt(m[2], 8);
  if (m[1] === '-') n = -n;
  if (n < 0 || n > 0o777) return { err: 'argument must be between 0 and 777 inclusive' };
  return { ok: n.toString(8) };
}

/** Directives that ask for something redlua cannot do: refused at start-up and by CONFIG SET, never ignored. */
export function unsupportedDirective(server: Server, names: string[] | null): [string, string] | null {
  const c = server.config;
  const check: [string, () => boolean, string][] = [
    ['tls-replication', () => c.bool('tls-replication'), "redlua's replication link (src/replication) speaks plain TCP only, so tls-replication cannot be enabled"],
    ['tls-cluster', () => c.bool('tls-cluster'), 'redlua has no cluster bus, so tls-cluster cannot be enabled'],
    // cluster mode is another issue (#20): until it lands, asking for it stops the start instead of serving standalone
    ['cluster-enabled', () => c.bool('cluster-enabled'), 'redlua does not implement Redis Cluster; refusing to start as a standalone server'],
  ];
  for (const [name, on, why] of check) if ((names === null || names.includes(name)) && on()) return [name, why];
  return null;
}

/** The TLS port and Unix socket of an embedded server (startServer), whose TCP port is already open. */
export async function startExtraListeners(server: Server): Promise<void> {
  const c = server.config;
  const bad = unsupportedDirective(server, null);
  if (bad) throw new ListenerError([`Fatal config error: '${bad[0]} yes': ${bad[1]}.`]);
  const tlsPort = c.num('tls-port');
  if (tlsPort !== 0) {
    const fail = server.listeners.configure();
    if (fail) throw new ListenerError([...fail, 'Failed to configure TLS. Check logs for more info.']);
    await server.listeners.openTls(tlsPort, [{ host: server.host, optional: false, v6: server.host.includes(':') }]);
  }
  if (c.get('unixsocket')) await server.listeners.openUnix();
}

/**
 * initListeners as the CLI runs it: TCP unless `port 0`, then TLS (tls-port), then the Unix socket. Throws
 * ListenerError carrying the lines Redis logs before it exits.
 */
export async function startListeners(server: Server): Promise<void> {
  try {
    await openAll(server);
  } catch (e) {
    await server.close(); // what was opened before the failure (tests and embedders outlive it)
    throw e;
  }
}

async function openAll(server: Server): Promise<void> {
  const c = server.config;
  checkSupervision(server);
  const bad = unsupportedDirective(server, null);
  if (bad) throw new ListenerError([`Fatal config error: '${bad[0]} yes': ${bad[1]}.`]);
  const L = server.listeners;
  const port = c.num('port');
  const tlsPort = c.num('tls-port');
  if (tlsPort !== 0) {
    const fail = L.configure();
    if (fail) throw new ListenerError([...fail, 'Failed to configure TLS. Check logs for more info.']);
  }
  const binds = bindAddresses(server);
  // `port 0` is Redis's "no TCP port" once another listener is configured; alone it keeps redlua's meaning, a free
  // port chosen by the system (reported in the log), instead of Redis's "Configured to not listen anywhere"
  const tcp = port !== 0 || (tlsPort === 0 && !c.get('unixsocket'));
  if (tcp) {
    // the first address that can be bound is the server's own socket; the others follow on the same port
    let i = 0;
    for (; i < binds.length; i++) {
      const b = binds[i];
      try {
        await server.listen(port, b.host);
        break;
      } catch (e) {
        const skip = bindSkippable(e, b, port);
        if (skip === null) {
          throw new ListenerError([`Warning: Could not create server TCP listening socket ${b.host}:${port}: bind: ${errText(e)}`, `Failed listening on port ${port} (TCP), aborting.`]);
        }
        server.log.warning(skip);
      }
    }
    try {
      if (i < binds.length) L.tcpExtra = await listenToPort(server, binds.slice(i + 1), server.port, sock => server.acceptConnection(sock, 'tcp'));
    } catch (e) {
      if (e instanceof ListenerError) throw new ListenerError([...e.log, `Failed listening on port ${port} (TCP), aborting.`]);
      throw e;
    }
  }
  if (tlsPort !== 0) {
    try {
      await L.openTls(tlsPort, binds);
    } catch (e) {
      if (e instanceof ListenerError) throw new ListenerError([...e.log, `Failed listening on port ${tlsPort} (TLS), aborting.`]);
      throw e;
    }
  }
  if (c.get('unixsocket')) await L.openUnix();
  server.startCronOnly();
}

/**
 * redisIsSupervised, before the listeners open: upstart is honoured (see signalReady); systemd cannot be, since
 * node has no datagram Unix sockets for sd_notify, so when systemd really waits (NOTIFY_SOCKET set) the start fails
 * instead of leaving it to time out; without NOTIFY_SOCKET, Redis's warning.
 */
function supervisionMode(server: Server): 'upstart' | 'systemd' | 'no' {
  let mode = server.config.get('supervised');
  if (mode === 'auto') mode = process.env.UPSTART_JOB ? 'upstart' : process.env.NOTIFY_SOCKET ? 'systemd' : 'no';
  return mode as 'upstart' | 'systemd' | 'no';
}

function checkSupervision(server: Server): void {
  if (supervisionMode(server) !== 'systemd') return;
  if (process.env.NOTIFY_SOCKET) {
    throw new ListenerError([
      "Fatal config error: 'supervised systemd': redlua cannot send systemd's readiness notification (sd_notify); run it as Type=simple with 'supervised no'.",
    ]);
  }
  server.log.warning('systemd supervision requested or auto-detected, but NOTIFY_SOCKET not found!');
}

/** redisSupervisedUpstart: once ready, stop with SIGSTOP (upstart's "expect stop"). */
export function signalReady(server: Server): void {
  if (supervisionMode(server) !== 'upstart') return;
  if (!process.env.UPSTART_JOB) {
    server.log.warning('upstart supervision requested, but UPSTART_JOB not found!');
    return;
  }
  server.log.notice('supervised by upstart, will stop to signal readiness.');
  delete process.env.UPSTART_JOB;
  process.kill(process.pid, 'SIGSTOP');
}
