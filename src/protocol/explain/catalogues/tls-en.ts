/**
 * English words of a connection's TLS details (render/tls-details.ts: --show-certs and the shell's
 * .tls). Small and apart from en.ts, so that the session, which shows --show-certs, loads these words
 * and not the whole catalogue; en.ts takes them in, tls-ru.ts has the same keys.
 */
export const TLS_EN = {
  'tls.protocol': 'protocol {protocol}, cipher {cipher}',
  'tls.alpn.offered': 'offered {names}',
  'tls.alpn.none-offered': 'none offered',
  'tls.alpn.chosen': 'server chose {name}',
  'tls.alpn.none-chosen': 'none chosen',
  'tls.sni.none': 'SNI: none sent (an IP address is not sent by SNI)',
  'tls.sni.sent': 'SNI: sent {name}',
  'tls.client-certificate.none': 'client certificate: none sent',
  'tls.client-certificate.sent': 'client certificate: sent {name}',
  'tls.certificate': 'certificate {n} ({role}): {subject}',
  'tls.certificate.self-signed': 'certificate {n} ({role}): {subject} (self-signed)',
  'tls.certificate.none': 'certificate: none sent by the server',
  'tls.role.server': 'server',
  'tls.role.root': 'root CA',
  'tls.role.ca': 'CA',
  'tls.role.intermediate': 'intermediate CA',
  'tls.issuer': 'issuer: {issuer}',
  'tls.names': 'names: {names}',
  'tls.valid': 'valid: {from} to {to} ({state})',
  'tls.valid.not-yet': 'NOT YET VALID: starts in {n} {n|day|days}',
  'tls.valid.expired': 'EXPIRED {n} {n|day|days} ago',
  'tls.valid.left': '{n} {n|day|days} left',
  'tls.key': 'key: {key}',
  'tls.key.unknown': 'unknown key type',
  'tls.key.bits': '{n} bits',
  'tls.key.curve': 'curve {curve}',
  'tls.name.among': '{name} is among the certificate\'s names',
  'tls.name.not-among': '{name} is NOT among the certificate\'s names',
  'tls.verification.ok': 'verification: OK (chain trusted, {checked})',
  'tls.verification.failed': 'verification: FAILED ({checked})',
  'tls.verification.failed-insecure': 'verification: FAILED ({checked}), went on because of --insecure',
} as const;

export type TlsKey = keyof typeof TLS_EN;
