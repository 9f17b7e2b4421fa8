/**
 * The minimal hub the issue asks to compare against: in-memory token lookup, bearer
 * injection, one upstream call, parse, drop nulls, paging headers, stringify — nothing else.
 * Run as its own process: `tsx bench/minimal-hub.ts <port> <upstream origin> <token>`.
 */
import { createServer } from 'node:http';
import { Pool } from 'undici';

const [portArg, upstream, token] = process.argv.slice(2);
const pool = new Pool(upstream as string, { connections: 128 });
const tokens = new Map([[token as string, { accessToken: 'bench', id: 1 }]]);

function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = dropNulls(v);
    return out;
  }
  return value;
}

createServer(async (request, response) => {
  const element = /Element ([^,\s]+)/.exec(request.headers.authorization ?? '')?.[1] ?? '';
  const instance = tokens.get(element);
  if (!instance) {
    response.writeHead(401).end();
    return;
  }
  const upstreamResponse = await pool.request({
    method: 'GET',
    path: '/crm/rest/v1/orders?limit=20&offset=0',
    headers: { authorization: `Bearer ${instance.accessToken}` },
  });
  const parsed = (await upstreamResponse.body.json()) as { orders: unknown[]; count: number };
  const records = dropNulls(parsed.orders) as unknown[];
  const body = JSON.stringify(records);
  response.writeHead(200, {
    'content-type': 'application/json',
    'elements-returned-count': String(records.length),
    'elements-total-count': String(parsed.count),
    'elements-next-page-token': Buffer.from('{"page":2,"pageSize":20}').toString('base64url'),
    'elements-element-instance-id': String(instance.id),
  });
  response.end(body);
}).listen(Number(portArg), '127.0.0.1', () => process.stdout.write('ready\n'));
