import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';

describe('sandbox configuration', () => {
  it('defaults to 127.0.0.1:8090 with the control API on', () => {
    expect(readConfig({})).toEqual({
      port: 8090,
      host: '127.0.0.1',
      autoConsent: false,
      control: true,
      logger: true,
    });
  });

  it('reads every variable', () => {
    const options = readConfig({
      KEAP_SANDBOX_PORT: '0',
      KEAP_SANDBOX_HOST: '0.0.0.0',
      KEAP_SANDBOX_AUTO_CONSENT: '1',
      KEAP_SANDBOX_REDIRECT_URIS: 'https://a.example/cb, http://127.0.0.1:9000/cb',
      KEAP_SANDBOX_CONTROL: '0',
      KEAP_SANDBOX_SEED: '7',
      KEAP_SANDBOX_LOG: '0',
    });
    expect(options).toEqual({
      port: 0,
      host: '0.0.0.0',
      autoConsent: true,
      control: false,
      logger: false,
      redirectUris: ['https://a.example/cb', 'http://127.0.0.1:9000/cb'],
      seed: 7,
    });
  });

  it('reports every invalid variable at once', () => {
    const read = () =>
      readConfig({
        KEAP_SANDBOX_PORT: 'eighty',
        KEAP_SANDBOX_CONTROL: 'off',
        KEAP_SANDBOX_REDIRECT_URIS: 'not a url',
      });
    expect(read).toThrow(/KEAP_SANDBOX_PORT: expected a port number/);
    expect(read).toThrow(/KEAP_SANDBOX_CONTROL: expected 0, 1, true or false/);
    expect(read).toThrow(/KEAP_SANDBOX_REDIRECT_URIS/);
  });
});
