/**
 * Bodies the API gateway (Apigee-style, in front of Keap's REST API) answers with itself,
 * before or instead of the application: `{"fault":{"faultstring","detail":{"errorcode"}}}`.
 */

export interface GatewayFault {
  fault: { faultstring: string; detail: { errorcode: string } };
}

function fault(faultstring: string, errorcode: string): GatewayFault {
  return { fault: { faultstring, detail: { errorcode } } };
}

/** 401 for an unknown, expired or revoked access token (keap.md §2.7). */
export function invalidTokenFault(): GatewayFault {
  return fault('Invalid access token', 'oauth.v2.InvalidAccessToken');
}

/** 429 for an exhausted minute or day quota. */
export function quotaFault(identifier: string): GatewayFault {
  return fault(
    `Rate limit quota violation. Quota limit exceeded. Identifier : ${identifier}`,
    'policies.ratelimit.QuotaViolation',
  );
}

/** 429 for the per-second spike policy, which Apigee reports under its own error code. */
export function spikeFault(perSecond: number): GatewayFault {
  return fault(
    `Spike arrest violation. Allowed rate : ${perSecond}ps`,
    'policies.ratelimit.SpikeArrestViolation',
  );
}

/** Default body for a status injected through the control API when no body was given. */
export function injectedFaultBody(status: number): unknown {
  if (status === 401) return invalidTokenFault();
  if (status === 429) return quotaFault('fault-injection');
  if (status === 502 || status === 503 || status === 504) {
    return fault(
      'The Service is temporarily unavailable',
      'messaging.adaptors.http.flow.ServiceUnavailable',
    );
  }
  if (status >= 500) return { message: 'Internal Server Error' };
  return { message: `Injected fault ${status}` };
}
