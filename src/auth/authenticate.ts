import type { FastifyRequest } from 'fastify';
import { hashSecret } from '../crypto/cipher.js';
import { apiError } from '../http/errors.js';
import type { Database } from '../store/open.js';
import {
  findOrganizationBySecretHash,
  findUserBySecretHash,
  type Principal,
} from '../store/organizations.js';
import type { OrganizationRow, UserRow } from '../store/schema.js';
import { parseAuthorization, type Credentials } from './header.js';

/**
 * Resolves secrets to organizations and users. Both change rarely, so lookups are cached by
 * secret hash; a hub call in steady state then touches no store at all.
 */
export class Authenticator {
  private readonly users = new Map<string, UserRow>();
  private readonly organizations = new Map<string, OrganizationRow>();

  constructor(private readonly db: Database) {}

  credentials(request: FastifyRequest): Credentials {
    return parseAuthorization(request.headers.authorization);
  }

  /** Platform calls: `User` and `Organization` secrets, both valid and of one organization. */
  async platform(credentials: Credentials, headerPresent: boolean): Promise<Principal> {
    if (!headerPresent) throw apiError('auth.header-missing');
    const missing = [
      credentials.user ? undefined : 'User secret',
      credentials.organization ? undefined : 'Organization secret',
    ].filter((p): p is string => p !== undefined);
    if (missing.length > 0) throw apiError('auth.secret-missing', { parts: missing });
    const user = await this.user(credentials.user as string);
    const organization = await this.organization(credentials.organization as string);
    const wrong = [
      user ? undefined : 'User secret',
      organization && (!user || user.organizationId === organization.id)
        ? undefined
        : 'Organization secret',
    ].filter((p): p is string => p !== undefined);
    if (wrong.length > 0 || !user || !organization) {
      throw apiError('auth.secret-wrong', { parts: wrong });
    }
    return { user, organization };
  }

  /** Hub calls: a valid `User` secret; the instance comes from the `Element` token. */
  async hubUser(credentials: Credentials, headerPresent: boolean): Promise<UserRow> {
    if (!headerPresent) throw apiError('auth.header-missing');
    if (!credentials.user) throw apiError('auth.secret-missing', { parts: ['User secret'] });
    const user = await this.user(credentials.user);
    if (!user) throw apiError('auth.secret-wrong', { parts: ['User secret'] });
    return user;
  }

  private async user(secret: string): Promise<UserRow | undefined> {
    const hash = hashSecret(secret);
    const cached = this.users.get(hash);
    if (cached) return cached;
    const row = await findUserBySecretHash(this.db, hash);
    if (row) this.users.set(hash, row);
    return row;
  }

  private async organization(secret: string): Promise<OrganizationRow | undefined> {
    const hash = hashSecret(secret);
    const cached = this.organizations.get(hash);
    if (cached) return cached;
    const row = await findOrganizationBySecretHash(this.db, hash);
    if (row) this.organizations.set(hash, row);
    return row;
  }
}
