import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashSecret } from './crypto/cipher.js';
import { newBase64Secret, newHexSecret } from './crypto/tokens.js';
import type { Database } from './store/open.js';
import { createDefaultOrganization, isEmpty, setDefaultSecrets } from './store/organizations.js';

export const SECRETS_FILE = 'secrets.json';

export interface Secrets {
  organization: string;
  user: string;
}

/**
 * On a first start with an empty store, creates the default organization and user. Their
 * secrets come from the configuration or are generated; generated ones are returned (to be
 * printed once) and written to a file only the owner can read. Configured secrets always win.
 */
export async function bootstrapOrganization(
  db: Database,
  dataDir: string,
  configured: Partial<Secrets>,
): Promise<Secrets | undefined> {
  if (!(await isEmpty(db))) {
    const hashes = {
      ...(configured.organization ? { organization: hashSecret(configured.organization) } : {}),
      ...(configured.user ? { user: hashSecret(configured.user) } : {}),
    };
    await setDefaultSecrets(db, hashes);
    return undefined;
  }
  const secrets: Secrets = {
    organization: configured.organization ?? newHexSecret(),
    user: configured.user ?? newBase64Secret(),
  };
  await createDefaultOrganization(db, {
    organization: hashSecret(secrets.organization),
    user: hashSecret(secrets.user),
  });
  if (configured.organization && configured.user) return undefined;
  await writeFile(join(dataDir, SECRETS_FILE), JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  return secrets;
}
