/**
 * A numbered in-memory table: Keap ids are integers handed out in ascending order and never
 * reused, even after a delete.
 */
export class Collection<T extends { id: number }> {
  readonly #rows = new Map<number, T>();
  #nextId: number;

  constructor(rows: readonly T[] = [], firstId = 1) {
    for (const row of rows) this.#rows.set(row.id, row);
    const highest = Math.max(firstId - 1, ...rows.map((row) => row.id));
    this.#nextId = highest + 1;
  }

  get size(): number {
    return this.#rows.size;
  }

  /** Every row, by id ascending. */
  all(): T[] {
    return [...this.#rows.values()].sort((a, b) => a.id - b.id);
  }

  get(id: number): T | undefined {
    return this.#rows.get(id);
  }

  /** Builds a row around the next free id and stores it. */
  insert(build: (id: number) => T): T {
    const row = build(this.#nextId);
    this.#nextId += 1;
    this.#rows.set(row.id, row);
    return row;
  }

  /** Replaces the stored row with the same id. */
  put(row: T): T {
    this.#rows.set(row.id, row);
    return row;
  }

  delete(id: number): boolean {
    return this.#rows.delete(id);
  }
}
