import { describe, expect, it } from 'vitest';
import { api, connect, control, launch, refresh } from './support.js';

describe('sandbox request logs', () => {
  it('never contain a code or token it issued', async () => {
    const lines: string[] = [];
    const sandbox = await launch({
      autoConsent: true,
      logger: true,
      logStream: { write: (line) => lines.push(line) },
    });

    const tokens = await connect(sandbox.url);
    await api(sandbox.url, tokens.access_token, '/orders?limit=1');
    await fetch(`${sandbox.url}/crm/rest/v1/orders?access_token=${tokens.access_token}`);
    await refresh(sandbox.url, tokens.refresh_token);
    const { issued } = (await (await control(sandbox.url, 'GET', '/stats')).json()) as {
      issued: string[];
    };
    await sandbox.close();

    const log = lines.join('');
    expect(log).toContain('access_token=%5Bredacted%5D');
    expect(issued.length).toBeGreaterThanOrEqual(5);
    for (const secret of issued) expect(log).not.toContain(secret);
  });
});
