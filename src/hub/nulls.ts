/**
 * Removes `null` properties at every depth (`filter.response.nulls`, spec §5.6). Array items
 * that are null stay: dropping them would shift positions a client may rely on.
 *
 * Objects are copied without their nulls rather than `delete`d from: deleting turns a V8
 * object into a slow dictionary, which made this and the `JSON.stringify` after it about a
 * third slower on a 28 KB page.
 */
export function dropNulls(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = dropNulls(value[i]);
    return value;
  }
  const record = value as Record<string, unknown>;
  const kept: Record<string, unknown> = {};
  for (const key in record) {
    const child = record[key];
    if (child === null) continue;
    const copy = typeof child === 'object' ? dropNulls(child) : child;
    // A provider's own "__proto__" key is data: assigning it would set the copy's prototype.
    if (key === '__proto__') {
      Object.defineProperty(kept, key, { value: copy, enumerable: true, writable: true, configurable: true });
    } else {
      kept[key] = copy;
    }
  }
  return kept;
}
