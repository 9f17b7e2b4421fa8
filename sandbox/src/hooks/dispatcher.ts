/**
 * Sends record changes to verified hooks as Keap does (keap.md §5.3): batched per hook, one
 * event key per batch, at most 1000 objects, a while after the change; a failed batch (no
 * answer within the timeout, or a status outside 200–399 other than 410) is retried on a
 * schedule, and after the last try the hook turns `Inactive`. A 410 deactivates it at once.
 */
import { request } from 'undici';
import type { RecordChange } from './feed.js';
import type { Hook, HookRegistry } from './registry.js';

export interface DispatchOptions {
  /** Wait before a batch is sent. */
  delayMs: number;
  /** Waits before the 2nd, 3rd and 4th tries. */
  retryDelaysMs: number[];
  timeoutMs: number;
  now(): number;
  /** The REST URL of an object, for `apiUrl`. */
  apiUrl(noun: string, id: number): string;
}

interface Batch {
  eventKey: string;
  objects: { id: number; apiUrl: string; timestamp: string }[];
}

const MAX_OBJECTS = 1000;

export class HookDispatcher {
  readonly #pending = new Map<string, Batch>();
  readonly #timers = new Set<NodeJS.Timeout>();
  /** The last batch each hook was sent, so tests can have it sent again (Keap does retry). */
  readonly lastSent = new Map<string, Batch>();

  constructor(
    private readonly registry: HookRegistry,
    private readonly options: DispatchOptions,
  ) {}

  /** Adds a change to the pending batch of every verified hook for its event key. */
  record(change: RecordChange): void {
    const eventKey = `${change.noun}.${change.verb}`;
    for (const hook of this.registry.all()) {
      if (hook.status !== 'Verified' || hook.eventKey !== eventKey) continue;
      let batch = this.#pending.get(hook.key);
      if (!batch) {
        batch = { eventKey, objects: [] };
        this.#pending.set(hook.key, batch);
        this.later(this.options.delayMs, () => this.flush(hook));
      }
      const timestamp = new Date(change.at).toISOString();
      if (batch.objects.length < MAX_OBJECTS) batch.objects.push({ id: change.id, apiUrl: this.options.apiUrl(change.noun, change.id), timestamp });
    }
  }

  /** Sends a hook's last batch again, as a Keap retry would. */
  resend(hook: Hook): boolean {
    const batch = this.lastSent.get(hook.key);
    if (!batch) return false;
    void this.attempt(hook, batch, 0);
    return true;
  }

  stop(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#pending.clear();
  }

  private flush(hook: Hook): void {
    const batch = this.#pending.get(hook.key);
    this.#pending.delete(hook.key);
    if (batch) void this.attempt(hook, batch, 0);
  }

  private async attempt(hook: Hook, batch: Batch, tries: number): Promise<void> {
    if (hook.status !== 'Verified' || !this.registry.get(hook.key)) return;
    this.lastSent.set(hook.key, batch);
    const status = await this.post(hook, batch);
    if (status === 410) {
      hook.status = 'Inactive';
      return;
    }
    if (status !== undefined && status >= 200 && status < 400) return;
    const wait = this.options.retryDelaysMs[tries];
    if (wait === undefined) {
      hook.status = 'Inactive';
      return;
    }
    this.later(wait, () => void this.attempt(hook, batch, tries + 1));
  }

  private async post(hook: Hook, batch: Batch): Promise<number | undefined> {
    const noun = batch.eventKey.split('.')[0] ?? '';
    try {
      const response = await request(hook.hookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ event_key: batch.eventKey, object_type: noun, object_keys: batch.objects }),
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
      await response.body.dump();
      return response.statusCode;
    } catch {
      return undefined;
    }
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      run();
    }, ms);
    this.#timers.add(timer);
  }
}
