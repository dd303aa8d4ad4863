/**
 * Where replay may send the user's own secrets. A transcript names its server (`# target:`), and a
 * transcript can come from anyone: a colleague, a bug report, a repository. Replaying it must not send
 * MAILWIRE_PASSWORD, MAILWIRE_TOKEN or a typed password to a host the user did not choose. The user
 * chooses a host by naming it: `--target`, an entry of `--trust-host` or MAILWIRE_TRUSTED_HOSTS (for
 * CI), or a yes at the terminal. A secret written in the transcript (`# secret: USER SECRET`) is the
 * file's own and goes to the file's target. Pure.
 */

/** The environment variable a CI job sets to name the hosts replay may send secrets to. */
export const TRUSTED_HOSTS_VARIABLE = 'MAILWIRE_TRUSTED_HOSTS';

/** One allowed destination: a host (lower case, no brackets), and a port when the entry gave one. */
export interface TrustedHost {
  host: string;
  port: number | null;
}

/**
 * Reads entries of `--trust-host` and MAILWIRE_TRUSTED_HOSTS: `host`, `host:port`, `[v6]`,
 * `[v6]:port`, separated by commas or blanks. Unreadable entries are returned in `invalid`.
 */
export function parseTrustedHosts(texts: readonly string[]): { hosts: TrustedHost[]; invalid: string[] } {
  const hosts: TrustedHost[] = [];
  const invalid: string[] = [];
  for (const text of texts) {
    for (const entry of text.split(/[\s,]+/).filter((e) => e !== '')) {
      const m = /^(?:\[([0-9a-f:.]+)\]|([^\s:[\]/]+))(?::(\d{1,5}))?$/i.exec(entry);
      const port = m?.[3] === undefined ? null : Number(m[3]);
      if (!m || (port !== null && (port < 1 || port > 65535))) {
        invalid.push(entry);
        continue;
      }
      hosts.push({ host: (m[1] ?? m[2] ?? '').toLowerCase(), port });
    }
  }
  return { hosts, invalid };
}

/** Is host:port one of the trusted destinations? Hosts compare without regard to case. */
export function isTrustedDestination(host: string, port: number, trusted: readonly TrustedHost[]): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return trusted.some((t) => t.host === h && (t.port === null || t.port === port));
}
