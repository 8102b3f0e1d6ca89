// The image's HEALTHCHECK: GET /healthz on the local port, exit 0 on 200. Plain node, no curl.
import http from 'node:http';

const port = Number(process.env.PORT ?? 3000);
const req = http.get({ host: '127.0.0.1', port, path: '/healthz', timeout: 2_000 }, (res) => {
  res.resume();
  process.exit(res.statusCode === 200 ? 0 : 1);
});
req.on('timeout', () => req.destroy(new Error('timeout')));
req.on('error', () => process.exit(1));
