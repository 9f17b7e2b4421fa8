/**
 * A bare streaming pass-through proxy: no parsing at all, the floor of any hub.
 * `tsx bench/passthrough.ts <port> <upstream origin>`.
 */
import { createServer } from 'node:http';
import { Pool } from 'undici';

const [portArg, upstream] = process.argv.slice(2);
const pool = new Pool(upstream as string, { connections: 128 });

createServer((request, response) => {
  pool.stream(
    { method: 'GET', path: '/crm/rest/v1/orders?limit=20&offset=0', headers: { authorization: 'Bearer bench' } },
    ({ statusCode, headers }) => {
      response.writeHead(statusCode, { 'content-type': String(headers['content-type'] ?? 'application/json') });
      return response;
    },
    () => undefined,
  );
  void request;
}).listen(Number(portArg), '127.0.0.1', () => process.stdout.write('ready\n'));
