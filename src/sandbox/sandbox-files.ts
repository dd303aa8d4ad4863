/**
 * Where the files shipped for the sandbox are: its example messages and its TLS certificate. They
 * live in the package's `sandbox/` folder, two levels above this module in `src/sandbox/` (tests), in
 * `dist/sandbox/` (tsc's output) and in the chunk of `dist/bundle/` that holds it (the installed
 * command, scripts/bundle.mjs).
 */
import { fileURLToPath } from 'node:url';

const root = (path: string) => fileURLToPath(new URL(`../../sandbox/${path}`, import.meta.url));

/** The sandbox folder itself. */
export const SANDBOX_ROOT = root('');

/** The example messages: `<user>/<mailbox>/<name>.eml`. */
export const SANDBOX_MESSAGES_DIR = root('messages');

/**
 * The sandbox CA: a fixed CA, published with its purpose in its name and limited by X.509 name
 * constraints to localhost, 127.0.0.0/8 and ::1; its private key was destroyed after signing the
 * one certificate below. Trust it for the sandbox only (`--ca`).
 */
export const SANDBOX_CA_FILE = root('certs/sandbox-ca.pem');

/** The sandbox's server certificate (localhost, 127.0.0.1, ::1), valid until 2074. */
export const SANDBOX_CERT_FILE = root('certs/sandbox-cert.pem');

/** Its private key, published on purpose: the sandbox's TLS shows how TLS works, it protects nothing. */
export const SANDBOX_KEY_FILE = root('certs/sandbox-key.pem');
