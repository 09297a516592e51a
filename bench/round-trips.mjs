// Preload for a Codeward server under the benchmark (`node --import <this file> dist/src/main.js`):
// counts socket writes per peer port (5432 PostgreSQL, 6379 Redis, other = clients/providers) and
// HTTP requests served, and PostgreSQL statements by their first words, and writes the totals to $ROUND_TRIPS_OUT (JSON) when the process exits.
// Writes are corked per event-loop turn, so one write is about one round trip.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import http from 'node:http';
import net from 'node:net';

const writes = {};
const statements = {};
const pg = createRequire(import.meta.url)('pg');
const origQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, ...rest) {
  const text = typeof config === 'string' ? config : config?.text;
  if (typeof text === 'string') {
    const k = text.replace(/\s+/g, ' ').trim().slice(0, 70);
    statements[k] = (statements[k] ?? 0) + 1;
  }
  return origQuery.call(this, config, ...rest);
};
let requests = 0;
const origWrite = net.Socket.prototype._writeGeneric;
net.Socket.prototype._writeGeneric = function (...args) {
  const port = this.remotePort === 5432 || this.remotePort === 6379 ? this.remotePort : 'other';
  writes[port] = (writes[port] ?? 0) + 1;
  return origWrite.apply(this, args);
};
const origEmit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, ...args) {
  if (event === 'request') requests++;
  return origEmit.call(this, event, ...args);
};
process.on('exit', () => {
  const out = process.env.ROUND_TRIPS_OUT || `round-trips-${process.pid}.json`;
  writeFileSync(out, JSON.stringify({ requests, writes, statements }, null, 1));
});
