/**
 * Removes `null` properties at every depth (`filter.response.nulls`, spec §5.6). Array items
 * that are null stay: dropping them would shift positions a client may rely on.
 */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = dropNulls(value[i]);
    return value;
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const child = record[key];
      if (child === null) delete record[key];
      else if (typeof child === 'object') dropNulls(child);
    }
  }
  return value;
}
