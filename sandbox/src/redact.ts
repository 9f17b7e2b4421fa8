/** Keeps secrets out of log lines: query values that are codes or tokens become `[redacted]`. */

const SECRET_PARAMS = new Set([
  'access_token',
  'refresh_token',
  'code',
  'client_secret',
  'login_ticket',
]);

export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return url;

  const params = new URLSearchParams(url.slice(queryStart + 1));
  for (const name of [...params.keys()]) {
    if (SECRET_PARAMS.has(name)) params.set(name, '[redacted]');
  }
  return `${url.slice(0, queryStart)}?${params.toString()}`;
}
