import { describe, expect, it } from 'vitest';
import { parseTarget, serverName, targetUrl } from '../../src/cli/target.js';
import { MailwireError } from '../../src/errors.js';

describe('parseTarget', () => {
  it.each([
    ['imap://mail.example.org', 'imap', 'mail.example.org', 143, 'none'],
    ['imaps://mail.example.org', 'imap', 'mail.example.org', 993, 'implicit'],
    ['pop3://mail.example.org', 'pop3', 'mail.example.org', 110, 'none'],
    ['pop3s://mail.example.org', 'pop3', 'mail.example.org', 995, 'implicit'],
    ['IMAP://Mail.Example.org:1143', 'imap', 'Mail.Example.org', 1143, 'none'],
    ['imap://[::1]:1143', 'imap', '::1', 1143, 'none'],
    ['imaps://[::1]', 'imap', '::1', 993, 'implicit'],
    ['mail.example.org:143', 'imap', 'mail.example.org', 143, 'none'],
    ['mail.example.org:993', 'imap', 'mail.example.org', 993, 'implicit'],
    ['mail.example.org:110', 'pop3', 'mail.example.org', 110, 'none'],
    ['127.0.0.1:995', 'pop3', '127.0.0.1', 995, 'implicit'],
    ['[::1]:143', 'imap', '::1', 143, 'none'],
    ['imap://joe@host/INBOX', 'imap', 'host', 143, 'none'],
    // RFC 6874: a zone in a URL is percent-encoded; the system takes it with a plain "%".
    ['imap://[fe80::1%25eth0]:143', 'imap', 'fe80::1%eth0', 143, 'none'],
    ['imap://x_y.local.:10143', 'imap', 'x_y.local.', 10143, 'none'],
    ['imap://почта.рф', 'imap', 'почта.рф', 143, 'none'],
    ['imap://10.0.0.1', 'imap', '10.0.0.1', 143, 'none'],
  ])('%s', (input, protocol, host, port, tls) => {
    expect(parseTarget(input)).toMatchObject({ protocol, host, port, tls });
  });

  it('takes the user from a URL', () => {
    expect(parseTarget('imap://joe@host').user).toBe('joe');
    expect(parseTarget('pop3://mrose;AUTH=*@host').user).toBe('mrose');
    expect(parseTarget('imap://host').user).toBeNull();
  });

  it('uses --protocol for a host without a well-known port', () => {
    expect(parseTarget('localhost:10143', 'imap')).toMatchObject({ protocol: 'imap', port: 10143, tls: 'none' });
    expect(parseTarget('localhost', 'pop3')).toMatchObject({ protocol: 'pop3', port: 110 });
    expect(parseTarget('::1', 'imap')).toMatchObject({ host: '::1', port: 143 });
    expect(parseTarget('localhost:995', 'pop3')).toMatchObject({ tls: 'implicit' });
  });

  it.each([
    ['', /no target/],
    ['localhost', /cannot tell the protocol/],
    ['localhost:2525', /not a well-known/],
    ['smtp://host', /unknown scheme/],
    ['imap://host:0', /invalid port/],
    ['imap://host:70000', /invalid port/],
    ['imap://host:abc', /invalid port/],
    ['imap://[::1', /unclosed/],
    ['imap://', /missing host/],
    ['host name:143', /cannot parse/],
    ['imap://127.0.0.1:1:2', /is neither host:port nor an IPv6 address; an IPv6 address with a port goes in brackets, as \[::1\]:143/],
    ['imap://[zz]:1', /"zz" in brackets is no IPv6 address/],
    ['imap://[127.0.0.1]:143', /in brackets is no IPv6 address/],
    ['imap://a b', /"a b" is no host name or address/],
    ['imap://\x1b[31mx:1', /is no host name or address/],
    ['imap://-bad', /"-bad" is no host name or address/],
    ['imap://bad-.example', /is no host name or address/],
    ['imap://a..b', /is no host name or address/],
  ])('rejects %j', (input, message) => {
    expect(() => parseTarget(input)).toThrow(message);
    try {
      parseTarget(input);
    } catch (error) {
      expect(error).toBeInstanceOf(MailwireError);
      expect((error as MailwireError).code).toBe('usage');
    }
  });

  it('rejects a --protocol that contradicts the scheme', () => {
    expect(() => parseTarget('pop3://host', 'imap')).toThrow(/contradicts/);
  });

  it('formats targets back as URLs, with brackets for IPv6', () => {
    expect(targetUrl(parseTarget('[::1]:993'))).toBe('imaps://[::1]:993');
    expect(targetUrl(parseTarget('pop3://host'))).toBe('pop3://host:110');
  });
});

describe('serverName (--servername)', () => {
  it('takes a host name or an address, an IPv6 one in brackets too, and refuses anything else (exit 2)', () => {
    expect(serverName('mail.example.org')).toBe('mail.example.org');
    expect(serverName('127.0.0.1')).toBe('127.0.0.1');
    expect(serverName('[::1]')).toBe('::1');
    expect(serverName('::1')).toBe('::1');
    for (const bad of ['a b', 'x\x1b[31m', '', 'a,b', '[zz]']) {
      expect(() => serverName(bad), bad).toThrow(/is no host name or address \(SNI names a host, RFC 6066 §3\)/);
    }
  });
});
