import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { apiError } from '../http/errors.js';
import type { ConsoleContext } from './context.js';

/** The console's pages load nothing but their own files, and no other site may frame them. */
const POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/**
 * The built console under `/console/`: its files as they are, and `index.html` for every other
 * path below `/console`, where the single-page app routes on the client.
 */
export async function staticRoutes(context: ConsoleContext): Promise<void> {
  const { app, distDir } = context;
  const indexFile = join(distDir, 'index.html');
  const built = existsSync(indexFile);
  if (built) {
    await app.register(fastifyStatic, {
      root: distDir,
      prefix: '/console/',
      wildcard: false,
      index: false,
      maxAge: '1h',
      setHeaders: (res) => res.setHeader('content-security-policy', POLICY),
    });
  }
  // Read once: the build does not change under a running hub.
  const index = built ? await readFile(indexFile) : undefined;
  const page = () => {
    if (!index) throw apiError('console.not-built');
    return index;
  };
  for (const url of ['/console', '/console/*']) {
    app.get(url, { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .header('content-security-policy', POLICY)
        .send(page()),
    );
  }
}
