/**
 * The only module that reads environment variables. It parses them once, against a schema,
 * and reports every problem together.
 *
 * | variable                     | default   | meaning                                   |
 * | ---------------------------- | --------- | ----------------------------------------- |
 * | KEAP_SANDBOX_PORT            | 8090      | listening port (0 = any free port)        |
 * | KEAP_SANDBOX_HOST            | 127.0.0.1 | listening address                         |
 * | KEAP_SANDBOX_AUTO_CONSENT    | 0         | 1: authorize redirects at once with a code |
 * | KEAP_SANDBOX_REDIRECT_URIS   | (none)    | comma list of extra registered callbacks  |
 * | KEAP_SANDBOX_CONTROL         | 1         | 0: no /_control API (404)                 |
 * | KEAP_SANDBOX_SEED            | 1         | seed of the generated data                |
 * | KEAP_SANDBOX_LOG             | 1         | 0: no request logging                     |
 * | KEAP_SANDBOX_HOOK_DELAY_MS   | 1000      | wait before a REST-hook batch is sent     |
 */
import { z } from 'zod';
import type { SandboxOptions } from './server.js';

const flag = (fallback: boolean) =>
  z
    .enum(['0', '1', 'true', 'false'], { message: 'expected 0, 1, true or false' })
    .optional()
    .transform((value) => (value === undefined ? fallback : value === '1' || value === 'true'));

const port = z
  .string()
  .regex(/^\d+$/, 'expected a port number')
  .transform(Number)
  .refine((value) => value <= 65_535, 'expected a port number up to 65535');

const redirectUris = z
  .string()
  .transform((value) => value.split(',').map((entry) => entry.trim()).filter(Boolean))
  .pipe(z.array(z.url({ message: 'expected absolute callback URLs' })));

const schema = z.object({
  KEAP_SANDBOX_PORT: port.default(8090),
  KEAP_SANDBOX_HOST: z.string().min(1).default('127.0.0.1'),
  KEAP_SANDBOX_AUTO_CONSENT: flag(false),
  KEAP_SANDBOX_REDIRECT_URIS: redirectUris.optional(),
  KEAP_SANDBOX_CONTROL: flag(true),
  KEAP_SANDBOX_SEED: z.string().regex(/^\d+$/, 'expected an integer').transform(Number).optional(),
  KEAP_SANDBOX_LOG: flag(true),
  KEAP_SANDBOX_HOOK_DELAY_MS: z.string().regex(/^\d+$/, 'expected milliseconds').transform(Number).optional(),
});

/** Sandbox options from the environment; throws one error listing every invalid variable. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): SandboxOptions {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.')}: ${issue.message}`,
    );
    throw new Error(`invalid Keap sandbox configuration: ${problems.join('; ')}`);
  }

  const config = result.data;
  const options: SandboxOptions = {
    port: config.KEAP_SANDBOX_PORT,
    host: config.KEAP_SANDBOX_HOST,
    autoConsent: config.KEAP_SANDBOX_AUTO_CONSENT,
    control: config.KEAP_SANDBOX_CONTROL,
    logger: config.KEAP_SANDBOX_LOG,
  };
  if (config.KEAP_SANDBOX_REDIRECT_URIS) options.redirectUris = config.KEAP_SANDBOX_REDIRECT_URIS;
  if (config.KEAP_SANDBOX_SEED !== undefined) options.seed = config.KEAP_SANDBOX_SEED;
  if (config.KEAP_SANDBOX_HOOK_DELAY_MS !== undefined) options.hookDelayMs = config.KEAP_SANDBOX_HOOK_DELAY_MS;
  return options;
}
