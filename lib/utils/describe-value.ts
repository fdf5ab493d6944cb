function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function describeObject(value: object): string {
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a Date';
  if (isPlainObject(value)) return 'an object';
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? `a ${name}` : 'a non-plain object';
}

/**
 * A short description of a user-supplied value for error messages ("the string \"abc\"",
 * "number 5", "an array"), with long strings cut so messages stay readable. Never throws, whatever
 * the value (a revoked Proxy, traps or getters that throw).
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof value} ${String(value)}`;
    case 'object':
      try {
        return describeObject(value);
      } catch {
        return 'an object that cannot be inspected (a Proxy or getter threw)';
      }
    default:
      return typeof value;
  }
}
