/** What the catalogue tests compare between languages: the values a message takes and its plural forms. */

/** `{name}` and `{name|...}` placeholders of a message: name -> number of plural forms (0: plain value). */
export function placeholders(message: string): Map<string, number[]> {
  const found = new Map<string, number[]>();
  for (const m of message.matchAll(/\{([A-Za-z][A-Za-z0-9]*)(\|[^{}]*)?\}/g)) {
    const forms = m[2] === undefined ? 0 : m[2].slice(1).split('|').length;
    found.set(m[1] as string, [...(found.get(m[1] as string) ?? []), forms]);
  }
  return found;
}
