// An Eskiz API that answers at once, in a process of its own (so the load generator's event loop
// does not delay its answers). Prints its port on stdout when listening. Env: PORT (default 0).
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.url === '/api/auth/login') {
      const part = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const exp = Math.floor(Date.now() / 1000) + 86400 * 30;
      res.end(
        JSON.stringify({ data: { token: `${part({ alg: 'HS256' })}.${part({ exp })}.sig` } }),
      );
    } else res.end(JSON.stringify({ id: randomUUID(), status: 'waiting' }));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
