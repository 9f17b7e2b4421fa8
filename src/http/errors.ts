/**
 * The one catalogue of Junction's error codes: each has a stable name, an HTTP status and a
 * message template that says what was wrong and what was expected. Handlers throw
 * `apiError(code, …)`; `http/error-handler.ts` turns it into the Open Connectors error body.
 * `docs/errors.md` documents the same codes, and a test keeps the two in step.
 */
const catalogue = {
  'auth.header-missing': {
    status: 401,
    message: () =>
      'The Authorization header is missing; expected "User <user secret>, Organization <organization secret>"',
  },
  'auth.secret-missing': {
    status: 401,
    message: (p: { parts: string[] }) =>
      `The Authorization header is missing the ${list(p.parts)}; expected "User <user secret>, Organization <organization secret>"`,
  },
  'auth.secret-wrong': {
    status: 401,
    message: (p: { parts: string[] }) => `The ${list(p.parts)} in the Authorization header is not valid`,
  },
  'auth.element-token-missing': {
    status: 401,
    message: () =>
      'The Authorization header is missing the Element token; expected "User <user secret>, Element <instance token>"',
  },
  'auth.element-token-wrong': {
    status: 401,
    message: () => 'The Element token in the Authorization header does not belong to any instance',
  },
  'request.invalid': {
    status: 400,
    message: (p: { detail: string }) => p.detail,
  },
  'request.json-invalid': {
    status: 400,
    message: (p: { detail: string }) => `The request body is not valid JSON: ${p.detail}`,
  },
  'request.media-type': {
    status: 415,
    message: (p: { type: string; looksLikeJson?: boolean }) =>
      p.looksLikeJson
        ? `The body looks like JSON but was sent as ${p.type}; send Content-Type: application/json`
        : `Content-Type ${p.type} is not supported here; send a JSON body with Content-Type: application/json`,
  },
  'route.not-found': {
    status: 404,
    message: (p: { method: string; path: string }) => `No API matches ${p.method} ${p.path}`,
  },
  'element.not-found': {
    status: 404,
    message: (p: { key: string; suggestion: string | undefined }) =>
      `No element with key or id '${p.key}' exists` +
      (p.suggestion ? `; did you mean '${p.suggestion}'?` : ''),
  },
  'oauth.parameter-missing': {
    status: 400,
    message: (p: { names: string[] }) => `Missing required parameter ${list(p.names)}`,
  },
  'instance.not-found': {
    status: 404,
    message: (p: { id: string }) => `No instance with id ${p.id} exists`,
  },
  'instance.configuration-missing': {
    status: 400,
    message: (p: { keys: string[] }) => `configuration is missing ${p.keys.join(', ')}`,
  },
  'instance.configuration-invalid': {
    status: 400,
    message: (p: { problems: string[] }) => `configuration is not valid: ${p.problems.join('; ')}`,
  },
  'instance.configuration-not-found': {
    status: 404,
    message: (p: { id: number; instanceId: number }) =>
      `Instance ${p.instanceId} has no configuration entry with id ${p.id}; list them with GET /instances/${p.instanceId}/configuration`,
  },
  'instance.code-missing': {
    status: 400,
    message: () =>
      'providerData.code is missing; expected the code from the provider redirect to the callback URL',
  },
  'instance.disabled': {
    status: 403,
    message: (p: { id: number }) => `Instance ${p.id} is disabled; enable it with PUT /instances/${p.id}/enabled`,
  },
  'instance.invalid': {
    status: 401,
    message: (p: { id: number }) =>
      `Instance ${p.id} has lost its provider authorization and must be re-authenticated: ` +
      `PUT /instances/${p.id}?reAuthenticate=true or PATCH /instances/${p.id} with a body of ` +
      `{"providerData": {"code": "<new code>"}}; the stored configuration is kept`,
  },
  'instance.refresh-unavailable': {
    status: 503,
    message: (p: { id: number; attempts: number }) =>
      `The provider's token endpoint failed to refresh instance ${p.id}'s access token ` +
      `(${p.attempts} attempts); the instance stays valid, retry later`,
  },
  'event.not-found': {
    status: 404,
    message: (p: { id: string }) => `No event with id ${p.id} exists for this instance or organization`,
  },
  'event.handshake-refused': {
    status: 403,
    message: () => 'No hook registration is pending for this URL; the X-Hook-Secret handshake is refused',
  },
  'event.instance-unresolved': {
    status: 404,
    message: (p: { elementKey: string }) =>
      `No instance of ${p.elementKey} matches this event; send the Element-Instances or Id header, post to /events/${p.elementKey}/{encoded instance id}, or include the value of the instance's event.notification.instance.finder where the element looks for it`,
  },
  'notification.not-found': {
    status: 404,
    message: (p: { id: string; subscriptionId?: string }) =>
      `No notification with id ${p.id}` +
      (p.subscriptionId === undefined ? '' : ` delivered to subscription ${p.subscriptionId}`) +
      ' exists in this organization; a notification id is an event id or the id of a POST /notifications, ' +
      'a subscription id an instance id or the id of a POST /notifications/subscriptions',
  },
  'notification.search-missing': {
    status: 400,
    message: () =>
      "GET /notifications needs a search query; expected topics[]=<topic> (repeatable) or where=topic='<topic>' " +
      "(optionally and severity='low|medium|high' and acknowledged=true|false)",
  },
  'notification.unknown': {
    status: 404,
    message: (p: { id: string }) =>
      `No notification with id ${p.id} exists in this organization; expected an id answered by POST /notifications`,
  },
  'notification.email-unavailable': {
    status: 503,
    message: () =>
      'This hub has no mail transport, so POST /notifications/emails sent nothing; the operator sets ' +
      'JUNCTION_SMTP_URL (smtp://user:password@host:port) to enable it, or subscribe a webhook instead',
  },
  'notification.email-refused': {
    status: 502,
    message: (p: { detail: string }) =>
      `The mail server did not accept the email: ${p.detail}; nothing was sent, try again later`,
  },
  'subscription.not-found': {
    status: 404,
    message: (p: { id: string }) =>
      `No notification subscription with id ${p.id} exists in this organization; list them with GET /notifications/subscriptions`,
  },
  'account.not-found': {
    status: 404,
    message: (p: { id: string; own: number }) =>
      `No account with id ${p.id} is yours; your account is ${p.own} (the organization), or use /accounts/settings`,
  },
  'account.forbidden': {
    status: 403,
    message: (p: { ids: string[]; own: number }) =>
      `Account ${list(p.ids)} is not yours; the only account you may ask for is ${p.own}`,
  },
  'account.setting-invalid': {
    status: 400,
    message: (p: { detail: string }) => p.detail,
  },
  'analytics.query-invalid': {
    status: 400,
    message: (p: { detail: string }) => p.detail,
  },
  'provider.rejected': {
    status: 400,
    message: (p: { what: string }) => `The provider refused ${p.what}`,
  },
  'provider.unreachable': {
    status: 502,
    message: (p: { what: string }) => `The provider could not be reached for ${p.what}`,
  },
  'provider.refused': {
    status: 400,
    message: (p: { status: number; method: string; path: string }) =>
      `The provider refused ${p.method} ${p.path} with status ${p.status}`,
  },
  'provider.failed': {
    status: 502,
    message: (p: { status: number; method: string; path: string }) =>
      `The provider failed ${p.method} ${p.path} with status ${p.status}; try again later`,
  },
  'provider.not-json': {
    status: 502,
    message: (p: { method: string; path: string }) =>
      `The provider answered ${p.method} ${p.path} with a body that is not JSON`,
  },
  'hub.resource-not-found': {
    status: 404,
    message: (p: { method: string; path: string; element: string }) =>
      `${p.element} has no API ${p.method} ${p.path}`,
  },
  'hub.paging-invalid': {
    status: 400,
    message: (p: { detail: string }) => p.detail,
  },
  'query.syntax': {
    status: 400,
    message: (p: { detail: string }) => p.detail,
  },
  'query.unsupported': {
    status: 400,
    message: (p: { detail: string }) => p.detail,
  },
  'quota.exhausted': {
    status: 429,
    message: (p: { seconds: number }) =>
      `The provider's call quota for this app is used up; retry in ${p.seconds} seconds`,
  },
  'console.session-missing': {
    status: 401,
    message: () => 'No console session; sign in at /console with your user and organization secrets',
  },
  'console.sign-in-failed': {
    status: 401,
    message: (p: { fields: string }) =>
      `The ${p.fields} do not match a user of one organization; expected the secrets printed at first start`,
  },
  'console.origin-refused': {
    status: 403,
    message: (p: { origin: string }) =>
      `Console requests must come from the console's own origin, not ${p.origin}`,
  },
  'console.state-invalid': {
    status: 400,
    message: () =>
      'This sign-in answer does not belong to a sign-in started from your console session: it was already used, started in another session, or never issued. No instance was created',
  },
  'console.state-expired': {
    status: 400,
    message: (p: { minutes: number }) =>
      `This sign-in was started more than ${p.minutes} minutes ago and has expired. No instance was created`,
  },
  'console.provider-denied': {
    status: 400,
    message: (p: { error: string }) =>
      p.error === 'access_denied'
        ? 'Access was denied at the provider (access_denied). No instance was created'
        : `The provider answered the sign-in with the error ${p.error}. No instance was created`,
  },
  'console.callback-invalid': {
    status: 400,
    message: () =>
      'The provider redirected back with neither a code nor an error; expected ?code=… or ?error=…. No instance was created',
  },
  'console.not-built': {
    status: 503,
    message: () => 'The console is not built; run npm run build (or npm install) and restart',
  },
  'internal': {
    status: 500,
    message: () => 'Junction failed to handle this request; the request id identifies it in the logs',
  },
} satisfies Record<string, { status: number; message: (params: never) => string }>;

export type ErrorCode = keyof typeof catalogue;
type Params<C extends ErrorCode> = Parameters<(typeof catalogue)[C]['message']>;

/** Evidence from a provider call, carried by errors about the provider. */
export interface ProviderEvidence {
  status?: number;
  message?: string;
  method?: string;
  url?: string;
}

export class ApiError extends Error {
  /** Response headers that go with this error, e.g. a provider's `Retry-After`. */
  readonly headers: Record<string, string> = {};

  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    readonly provider?: ProviderEvidence,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Builds the error for a catalogue code. */
export function apiError<C extends ErrorCode>(code: C, ...params: Params<C>): ApiError {
  const entry = catalogue[code];
  const message = (entry.message as (...p: Params<C>) => string)(...params);
  return new ApiError(code, entry.status, message);
}

/** Builds an error about a provider call; `status` overrides the catalogue's. */
export function providerError<C extends ErrorCode>(
  code: C,
  evidence: ProviderEvidence & { cause?: unknown; httpStatus?: number },
  ...params: Params<C>
): ApiError {
  const entry = catalogue[code];
  const message = (entry.message as (...p: Params<C>) => string)(...params);
  const { cause, httpStatus, ...rest } = evidence;
  return new ApiError(code, httpStatus ?? entry.status, message, rest, { cause });
}

export const errorCodes = Object.keys(catalogue) as ErrorCode[];

function list(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
