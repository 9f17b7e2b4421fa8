/** Stable list ordering for REST v1 lists: by a key, then by id, with missing values last. */

export type SortKey = string | number | null;
export type Direction = 'ascending' | 'descending';

export function sortRows<T extends { id: number }>(
  rows: readonly T[],
  key: (row: T) => SortKey,
  direction: Direction = 'ascending',
): T[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const left = key(a);
    const right = key(b);
    if (left === right) return (a.id - b.id) * sign;
    if (left === null) return 1;
    if (right === null) return -1;
    const order = typeof left === 'string' && typeof right === 'string'
      ? left.localeCompare(right)
      : Number(left) - Number(right);
    return (order === 0 ? a.id - b.id : order) * sign;
  });
}

/** Inclusive window on a millisecond date; absent bounds do not filter. */
export function withinWindow(value: number, since: number | undefined, until: number | undefined) {
  return (since === undefined || value >= since) && (until === undefined || value <= until);
}
