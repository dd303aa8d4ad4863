/**
 * subjectAltName entries from Node.js's text (tls-summary.ts): a name Node writes as a JSON string
 * (a comma, a quote or a control inside: CVE-2021-44532) is one name, read as JSON.
 */
import { describe, expect, it } from 'vitest';
import { subjectAltNames } from '../../src/transport/tls-summary.js';

describe('subjectAltNames', () => {
  it('splits the usual list', () => {
    expect(subjectAltNames('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1')).toEqual(['DNS:localhost', 'IP Address:127.0.0.1', 'IP Address:0:0:0:0:0:0:0:1']);
    expect(subjectAltNames('DNS:mail.example.org')).toEqual(['DNS:mail.example.org']);
  });

  it('reads a quoted name as JSON: a comma in it makes no second name, a control comes out as itself', () => {
    expect(subjectAltNames('DNS:"evil.example, DNS:bank.example", DNS:b.example')).toEqual(['DNS:evil.example, DNS:bank.example', 'DNS:b.example']);
    expect(subjectAltNames('DNS:"x\\u001b[31my", DNS:z')).toEqual(['DNS:x\u001b[31my', 'DNS:z']);
    expect(subjectAltNames('DNS:"a\\"b"')).toEqual(['DNS:a"b']);
  });

  it('keeps what does not read as JSON, and entries without a type, whole', () => {
    expect(subjectAltNames('DNS:"unclosed')).toEqual(['DNS:"unclosed']);
    expect(subjectAltNames('othername, DNS:a')).toEqual(['othername', 'DNS:a']);
  });
});
