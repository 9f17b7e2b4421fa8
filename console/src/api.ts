/**
 * The console's one door into the hub. `/console/api/…` is the public API
 * (`/elements/api-v2/…`): the hub adds the session's secrets on the way, so this code never
 * holds them. Hub calls add `Authorization: Element <token>` for the instance tried.
 */

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export interface Me {
  user: { email: string; firstName: string; lastName: string };
  organization: { name: string };
  callbackUrl: string;
  apps: Record<string, { clientId: string; clientSecretConfigured: boolean }>;
}

export interface ElementSummary {
  id: number;
  key: string;
  name: string;
  description: string;
  image: string;
  hub: string;
  authentication: { type: string };
  resources: { path: string; method: string; description?: string }[];
}

export interface Instance {
  id: number;
  name: string;
  createdDate: string;
  token: string;
  element: ElementSummary;
  tags: string[];
  valid: boolean;
  disabled: boolean;
  eventsEnabled: boolean;
  configuration: Record<string, string>;
}

/** An event record of `GET /instances/{id}/events`. */
export interface EventRecord {
  id: string;
  instanceId: number;
  elementKey: string;
  eventDate: string;
  status: 'NEW' | 'RECEIVED' | 'DISPATCHED' | 'CONSUMED' | 'NOTIFIED';
}

/** A webhook delivery of an event (`notificationId`) to the instance's callback. */
export interface Delivery {
  id: number;
  notificationId: string;
  subscriptionId: number;
  status: 'created' | 'retry' | 'delivered' | 'notified' | 'queued';
  attempts: number;
  nextAttemptDate: string | null;
  lastResponseStatus: number | null;
  lastError: string | null;
  updatedDate: string;
}

/** Deliveries that failed and wait: queued ones for good, retry ones until their next try. */
export const REDELIVERABLE: readonly Delivery['status'][] = ['queued', 'retry'];

export interface RawResponse {
  status: number;
  headers: [string, string][];
  body: string;
}

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const parsed: unknown = text === '' ? undefined : JSON.parse(text);
  if (!response.ok) {
    const error = (parsed ?? {}) as { message?: string; code?: string };
    throw new ApiFailure(
      response.status,
      error.message ?? `The hub answered ${response.status}`,
      error.code,
    );
  }
  return parsed as T;
}

const API = '/console/api';

export const api = {
  me: () => call<Me>('GET', '/console/session'),
  signIn: (user: string, organization: string) =>
    call<Me>('POST', '/console/session', { user, organization }),
  signOut: () => call<void>('DELETE', '/console/session'),

  elements: () => call<ElementSummary[]>('GET', `${API}/elements`),
  element: (key: string) =>
    call<ElementSummary>('GET', `${API}/elements/${encodeURIComponent(key)}`),

  instances: (filter: { name?: string; tag?: string }) => {
    const query = new URLSearchParams();
    if (filter.name) query.set('searchText', filter.name);
    if (filter.tag) query.append('tags[]', filter.tag);
    return call<Instance[]>('GET', `${API}/instances?${query}`);
  },
  instance: (id: number) => call<Instance>('GET', `${API}/instances/${id}`),
  updateInstance: (id: number, configuration: Record<string, string>) =>
    call<Instance>('PATCH', `${API}/instances/${id}`, { configuration }),
  setEnabled: (id: number, enabled: boolean) =>
    call<Instance>(enabled ? 'PUT' : 'DELETE', `${API}/instances/${id}/enabled`),
  deleteInstance: (id: number) => call<void>('DELETE', `${API}/instances/${id}`),

  /** The instance's most recent events, newest first. */
  events: (id: number, pageSize: number) =>
    call<EventRecord[]>('GET', `${API}/instances/${id}/events?pageSize=${pageSize}`),
  deliveries: (eventId: string) =>
    call<Delivery[]>('GET', deliveriesUrl(`notificationId=${ceqlString(eventId)}`)),
  /** Sends the event's failed delivery again; answers the deliveries it made due. */
  redeliver: (eventId: string) => {
    const statuses = REDELIVERABLE.map(ceqlString).join(', ');
    const where = `notificationId=${ceqlString(eventId)} and status in (${statuses})`;
    return call<Delivery[]>('PUT', deliveriesUrl(where));
  },

  /** Keeps the form in the session and answers where to send the browser to sign in. */
  startSignIn: (body: SignInStart) =>
    call<{ authorizeUrl: string }>('POST', '/console/oauth/start', body),

  /** A request sent as entered, its answer returned whatever the status. */
  raw: async (
    method: string,
    path: string,
    token?: string,
    body?: string,
  ): Promise<RawResponse> => {
    const headers: Record<string, string> = {};
    if (token) headers['authorization'] = `Element ${token}`;
    if (body) headers['content-type'] = 'application/json';
    const response = await fetch(`${API}${path}`, {
      method,
      credentials: 'same-origin',
      headers,
      ...(body ? { body } : {}),
    });
    return {
      status: response.status,
      headers: [...response.headers.entries()],
      body: await response.text(),
    };
  },
};

function deliveriesUrl(where: string): string {
  return `${API}/notifications/subscriptions/deliveries?where=${encodeURIComponent(where)}`;
}

/** A CEQL string literal: quotes doubled inside. */
function ceqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export interface SignInStart {
  element: string;
  name?: string;
  tags?: string[];
  clientId?: string;
  clientSecret?: string;
  instanceId?: number;
  configuration?: Record<string, string>;
}
