/** The credentials one `Authorization` header carries (spec §1.1). */
export interface Credentials {
  user?: string;
  organization?: string;
  element?: string;
}

const labels: Record<string, keyof Credentials> = {
  user: 'user',
  organization: 'organization',
  element: 'element',
};

/**
 * Parses `User <secret>, Organization <secret>, Element <token>`: comma-separated parts in
 * any order, each a label and a value split at the first space; labels are case-insensitive.
 * A part with an empty value (the seed page's `User , Organization `) counts as absent.
 */
export function parseAuthorization(header: string | undefined): Credentials {
  const credentials: Credentials = {};
  if (!header) return credentials;
  for (const part of header.split(',')) {
    const trimmed = part.trim();
    const space = trimmed.indexOf(' ');
    const label = (space === -1 ? trimmed : trimmed.slice(0, space)).toLowerCase();
    const value = space === -1 ? '' : trimmed.slice(space + 1).trim();
    const key = labels[label];
    if (key && value) credentials[key] = value;
  }
  return credentials;
}
