/**
 * What replaces a secret (a password, a token, a SASL proof) in everything mailwire shows or records.
 * It lives with the protocol knowledge because the request maskers of every protocol write it, and
 * every layer above (sessions, rendering, transcripts, the shell's history) reads it.
 */

/** What replaces a secret in everything shown or recorded. */
export const SECRET_PLACEHOLDER = '<secret>';
