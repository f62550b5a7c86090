// A TCP listener opened synchronously, so CONFIG SET port/bind can fail (and roll back) in the command itself, as
// Redis's changeListenPort/changeBindAddr do (Redis: server.c listenToPort). net.Server.listen is asynchronous.
import net from 'node:net';
import os from 'node:os';

interface TcpHandle {
  bind(addr: string, port: number): number;
  bind6(addr: string, port: number, flags: number): number;
  listen(backlog: number): number;
  close(): void;
}

/** libuv's TCP wrap (the handle net.Server.listen accepts), reached through process.binding. */
function tcpWrap(): { TCP: new (type: number) => TcpHandle; constants: { SERVER: number } } {
  return (process as unknown as { binding(name: string): never }).binding('tcp_wrap');
}

/** strerror of a negative libuv errno. */
function errnoName(err: number): string {
  const name = Object.entries(os.constants.errno).find(([, v]) => v === -err)?.[0];
  if (name === 'EADDRINUSE') return 'Address already in use';
  if (name === 'EADDRNOTAVAIL') return 'Cannot assign requested address';
  if (name === 'EACCES') return 'Permission denied';
  return name ?? `error ${err}`;
}

/**
 * Binds and listens on host:port now (host undefined: every address, IPv6 and IPv4), returning a net.Server on that
 * socket, or the reason it could not bind.
 */
export function listenSync(host: string | undefined, port: number, backlog: number, onConnection: (s: net.Socket) => void): net.Server | string {
  const { TCP, constants } = tcpWrap();
  const h = new TCP(constants.SERVER);
  let err: number;
  if (host === undefined) {
    err = h.bind6('::', port, 0);
    if (err) err = h.bind('0.0.0.0', port);
  } else err = host.includes(':') ? h.bind6(host, port, 0) : h.bind(host, port);
  if (!err) err = h.listen(backlog);
  if (err) {
    h.close();
    return errnoName(err);
  }
  const srv = net.createServer({ noDelay: true }, onConnection);
  srv.maxConnections = Infinity;
  srv.listen(h as unknown as net.ListenOptions);
  return srv;
}
