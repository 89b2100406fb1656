/** Comparing the AWS CLI's JSON output with artifact-cli's. */

/** Times as instants (1.x prints epoch seconds, 2.x ISO with +00:00, artifact-cli ISO with Z). */
export function normaliseAwsOutput(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => normaliseAwsOutput(item));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([name, child]) => [name, normaliseAwsOutput(child, name)]));
  if (/Time$|^expiration$/.test(key)) return Math.round(typeof value === 'number' ? value * 1000 : Date.parse(String(value)));
  return value;
}

/** `value` with only the object keys `known` has, at every depth: for a client whose model is older. */
export function keepKnown(value: unknown, known: unknown): unknown {
  if (Array.isArray(value) && Array.isArray(known)) return value.map((item, index) => keepKnown(item, known[index]));
  if (value && known && typeof value === 'object' && typeof known === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([name]) => name in known)
        .map(([name, child]) => [name, keepKnown(child, (known as Record<string, unknown>)[name])]),
    );
  }
  return value;
}
