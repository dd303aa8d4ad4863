/**
 * SASLprep (RFC 4013), the preparation of user names and passwords for SCRAM (RFC 5802 §5.1): maps
 * non-ASCII spaces to a space, removes characters "commonly mapped to nothing", normalizes to NFKC,
 * and refuses prohibited characters. The tables of Unicode 3.2 it needs come from
 * @mongodb-js/saslprep, which the MongoDB drivers use for the same purpose.
 */
import { createRequire } from 'node:module';
import { SaslCredentialsError } from './mechanism.js';

type SaslprepLibrary = (value: string) => string;

let library: SaslprepLibrary | null = null;

/**
 * The library, loaded on first use: its Unicode tables take longer to load than the rest of
 * mailwire, and only SCRAM logins need them.
 */
function saslprepLibrary(value: string): string {
  library ??= createRequire(import.meta.url)('@mongodb-js/saslprep') as SaslprepLibrary;
  return library(value);
}

/** Prepares `value` ("the password", "the user name" in `what`); throws SaslCredentialsError when SASLprep refuses it. */
export function saslprep(value: string, what: string): string {
  try {
    return saslprepLibrary(value);
  } catch (error) {
    throw new SaslCredentialsError(`${what} cannot be used with SCRAM: SASLprep (RFC 4013) refuses it (${(error as Error).message})`);
  }
}
