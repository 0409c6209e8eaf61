// Preloaded into a CLI child process (NODE_OPTIONS=--import …): records the host of every
// outgoing TCP connection in the file AGENTSCAN_TEST_NET_LOG and refuses any that is not
// loopback, so a test can prove that nothing left for a real provider host.
import { appendFileSync } from 'node:fs';
import net from 'node:net';

const logFile = process.env.AGENTSCAN_TEST_NET_LOG;
const connect = net.Socket.prototype.connect;
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

net.Socket.prototype.connect = function guardedConnect(...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const opts = typeof first === 'object' && first !== null ? first : { port: first, host: typeof args[1] === 'string' ? args[1] : undefined };
  if (opts.path === undefined || opts.path === null) {
    const host = opts.host ?? 'localhost';
    if (logFile) appendFileSync(logFile, `${host}:${opts.port}\n`);
    if (!LOOPBACK.has(host)) {
      process.nextTick(() => this.destroy(new Error(`net-guard: refused connection to ${host}:${opts.port}`)));
      return this;
    }
  }
  return connect.apply(this, args);
};
