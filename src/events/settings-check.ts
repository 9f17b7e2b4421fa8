import type { Element } from '../elements/schema.js';
import { PollerConfigError, readPollerConfig } from './poller-config.js';

/**
 * What is wrong with the `event.*` entries a request supplies (spec §4.1), one sentence per
 * key naming the value and what is accepted; empty when all are usable. Only supplied keys are
 * checked, so an entry stored before these checks existed does not block unrelated changes.
 * Values arrive normalized to strings (`configuration.ts`).
 */
export function eventSettingProblems(element: Element, supplied: Record<string, string>): string[] {
  const problems: string[] = [];
  const enabled = supplied['event.notification.enabled'];
  if (enabled !== undefined && !['true', 'false'].includes(enabled.toLowerCase())) {
    problems.push(`event.notification.enabled is '${enabled}'; expected true or false`);
  }
  if (enabled?.toLowerCase() === 'true' && !element.events.supported) {
    problems.push(`event.notification.enabled cannot be true: ${element.key} has no events`);
  }
  const mechanism = supplied['event.vendor.type'];
  if (mechanism !== undefined && !['polling', 'webhook', 'webhooks'].includes(mechanism.trim().toLowerCase())) {
    problems.push(`event.vendor.type is '${mechanism}'; expected polling or webhook`);
  } else if (mechanism !== undefined && !offers(element, mechanism)) {
    const methods = element.events.methods.join(' or ') || 'none';
    problems.push(`event.vendor.type is '${mechanism}'; ${element.key} offers ${methods}`);
  }
  const callback = supplied['event.notification.callback.url'];
  if (callback !== undefined && callback.trim() !== '' && !isHttpUrl(callback.trim())) {
    problems.push(`event.notification.callback.url is '${callback}'; expected an absolute http(s) URL`);
  }
  const interval = supplied['event.poller.refresh_interval'];
  if (interval !== undefined && !/^\s*[1-9]\d*\s*$/.test(interval)) {
    problems.push(`event.poller.refresh_interval is '${interval}'; expected a positive whole number of minutes`);
  }
  const poller = supplied['event.poller.configuration'];
  if (poller !== undefined) {
    const problem = pollerProblem(element, poller);
    if (problem) problems.push(problem);
  }
  return problems;
}

/** `webhooks` is the spelling some docs use for `webhook` (spec §4.1). */
function offers(element: Element, mechanism: string): boolean {
  const wanted = mechanism.trim().toLowerCase().replace(/s$/, '');
  return element.events.methods.some((m) => m === wanted);
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function pollerProblem(element: Element, text: string): string | undefined {
  try {
    readPollerConfig(element, { 'event.poller.configuration': text });
    return undefined;
  } catch (err) {
    if (!(err instanceof PollerConfigError)) throw err;
    return `${err.message}; expected a JSON object of resource name → poller configuration (spec §4.2)`;
  }
}
