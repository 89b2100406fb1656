/**
 * JSON read by tests, typed by the caller: the type names what the test expects to find, so a
 * test reads members by name without `any` leaking into its assertions.
 */
export function parseJson<T>(text: string | Buffer): T {
  return JSON.parse(text.toString()) as T;
}

/** The JSON body of a fetch response. */
export async function responseJson<T>(response: { json(): Promise<unknown> }): Promise<T> {
  return (await response.json()) as T;
}
