/**
 * Record changes inside the sandbox, as REST hooks see them: `order.add`, `contact.edit`, … .
 * Writers (the back office, API writes) publish here; the hook dispatcher listens.
 */
export type ChangeVerb = 'add' | 'edit' | 'delete';

export interface RecordChange {
  /** Keap's noun: `order`, `contact`, `product`. */
  noun: string;
  verb: ChangeVerb;
  id: number;
  /** Epoch ms of the change. */
  at: number;
}

export class ChangeFeed {
  readonly #listeners: ((change: RecordChange) => void)[] = [];

  listen(listener: (change: RecordChange) => void): void {
    this.#listeners.push(listener);
  }

  publish(change: RecordChange): void {
    for (const listener of this.#listeners) listener(change);
  }
}
