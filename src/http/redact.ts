/** Query parameters whose values are secrets and never reach a log line. */
const secretParams = /^(apisecret|apikey|code|access_token|refresh_token|client_secret|token|state)$/i;

/** A provider hook URL ends in the secret that authenticates its calls (src/events/hooks.ts). */
const hookPath = /^(\/elements\/api-v2\/events\/[^/?]+\/[^/?]+\/)[^/?]+/;

/** A request URL fit for logs: secret query values and hook URL secrets replaced by `***`. */
export function redactUrl(raw: string): string {
  const url = raw.replace(hookPath, '$1***');
  const q = url.indexOf('?');
  if (q === -1) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const key of [...params.keys()]) {
    if (secretParams.test(key)) params.set(key, '***');
  }
  return `${url.slice(0, q)}?${params.toString()}`;
}
