/**
 * Scripted faults for tests: "answer the next N requests under this path with status S",
 * optionally with a `Retry-After` header, a custom body, or a delay (which alone simulates a
 * slow provider). Rules are consulted in the order they were added.
 */
import { z } from 'zod';

export const faultRuleSchema = z.object({
  path: z.string().startsWith('/'),
  method: z.string().toUpperCase().optional(),
  status: z.int().min(200).max(599).optional(),
  times: z.int().min(1).default(1),
  retryAfter: z.int().min(0).optional(),
  delayMs: z.int().min(0).max(300_000).optional(),
  body: z.unknown().optional(),
});

export type FaultRule = z.infer<typeof faultRuleSchema>;

export class FaultQueue {
  readonly #rules: FaultRule[] = [];

  add(rule: FaultRule): void {
    this.#rules.push({ ...rule });
  }

  clear(): void {
    this.#rules.length = 0;
  }

  list(): readonly FaultRule[] {
    return this.#rules;
  }

  /** Claims one use of the first rule whose path is a prefix of `path` (and method matches). */
  take(method: string, path: string): FaultRule | undefined {
    const index = this.#rules.findIndex(
      (rule) => path.startsWith(rule.path) && (rule.method === undefined || rule.method === method),
    );
    const rule = this.#rules[index];
    if (!rule) return undefined;

    rule.times -= 1;
    if (rule.times <= 0) this.#rules.splice(index, 1);
    return rule;
  }
}
