// CPU per provider call: Node's fetch against undici's request (what src/notification/sms/form-post.ts
// uses), both POSTing the Eskiz form to a local HTTP server in this process (so the figure is client +
// server). Bounded: 4 000 calls per round, 20 at a time, after 500 warm-up calls.
// Usage: node bench/provider-post.mjs
import http from 'node:http';
import { request } from 'undici';

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.setHeader('content-type', 'application/json');
    res.end('{"id":"1","status":"waiting"}');
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/api/message/sms/send`;
const body = new URLSearchParams({
  mobile_phone: '998901234567',
  message: 'Codeward login code: 123456. Valid for 10 min.',
  from: '4546',
}).toString();
const headers = {
  authorization: 'Bearer x',
  accept: 'application/json',
  'content-type': 'application/x-www-form-urlencoded',
};
const viaFetch = async () => {
  const res = await fetch(url, {
    method: 'POST',
    headers,
    body,
    signal: AbortSignal.timeout(5_000),
    redirect: 'error',
  });
  return res.text();
};
const viaUndici = async () => {
  const res = await request(url, {
    method: 'POST',
    headers,
    body,
    signal: AbortSignal.timeout(5_000),
  });
  return res.body.text();
};
const N = 4_000;
for (const round of [1, 2]) {
  for (const [name, call] of [
    ['fetch', viaFetch],
    ['undici request', viaUndici],
  ]) {
    for (let i = 0; i < 500; i++) await call();
    const before = process.cpuUsage();
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        for (let i = 0; i < N / 20; i++) await call();
      }),
    );
    const used = process.cpuUsage(before);
    console.log(
      `round ${round} ${name}: ${((used.user + used.system) / N).toFixed(1)} µs CPU per call`,
    );
  }
}
server.close();
