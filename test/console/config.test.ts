import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('console settings in loadConfig', () => {
  it('reads provider OAuth apps and the public URL, which is no provider origin', () => {
    const config = loadConfig({
      JUNCTION_KEAP_CLIENT_ID: 'id-1',
      JUNCTION_KEAP_CLIENT_SECRET: 'secret-1',
      JUNCTION_PUBLIC_URL: 'https://junction.example.com/ignored/path',
    });
    expect(config.providerApps).toEqual({ keap: { clientId: 'id-1', clientSecret: 'secret-1' } });
    expect(config.publicUrl).toBe('https://junction.example.com');
    expect(config.providerOrigins).toEqual({});
  });

  it('names a public URL that is not absolute', () => {
    expect(() => loadConfig({ JUNCTION_PUBLIC_URL: 'junction.example.com' })).toThrow(
      /JUNCTION_PUBLIC_URL/,
    );
  });
});
