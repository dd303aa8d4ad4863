/**
 * The files TLS is set up with, read before anything is sent so a wrong path is reported first:
 * trusted CAs (--ca, PEM files or folders of them, as OpenSSL's CApath holds them) and the client
 * certificate and key (--cert, --key).
 */
import { isUtf8 } from 'node:buffer';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { MailwireError } from '../errors.js';
import { fileErrorText } from '../file-errors.js';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;
/** What a CA folder holds: *.pem, *.crt, *.cer, and OpenSSL's hash links (c_rehash: "1a2b3c4d.0"). */
const CA_FILE_NAME = /\.(?:pem|crt|cer)$|^[0-9a-f]{8}\.\d+$/i;

function readError(what: string, path: string, error: unknown): MailwireError {
  return new MailwireError('file', `cannot read ${what} ${path}: ${fileErrorText(error)}`);
}

async function read(what: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw readError(what, path, error);
  }
}

/** The PEM certificates of a CA file or folder. */
async function caCertificates(path: string): Promise<string[]> {
  let isFolder: boolean;
  try {
    isFolder = (await stat(path)).isDirectory();
  } catch (error) {
    throw readError('CA file', path, error);
  }
  if (!isFolder) {
    const found = (await read('CA file', path)).match(PEM_CERTIFICATE) ?? [];
    if (found.length === 0) throw new MailwireError('file', `CA file ${path} holds no PEM certificate ("-----BEGIN CERTIFICATE-----")`);
    return found;
  }
  let names: Buffer[];
  try {
    // Names as bytes: one that is not UTF-8, decoded, would get U+FFFD and name a file that is not
    // there. The pattern is ASCII, so it is tested on the bytes one character each (latin1).
    names = (await readdir(path, { encoding: 'buffer' })).filter((n) => CA_FILE_NAME.test(n.toString('latin1'))).sort(Buffer.compare);
  } catch (error) {
    throw readError('CA folder', path, error);
  }
  const found: string[] = [];
  for (const name of names) {
    const file = isUtf8(name) ? join(path, name.toString('utf8')) : Buffer.concat([Buffer.from(join(path, 'x').slice(0, -1)), name]);
    // A folder may hold keys or broken links beside the certificates: what is not a certificate is skipped.
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const pem of text.match(PEM_CERTIFICATE) ?? []) if (!found.includes(pem)) found.push(pem);
  }
  if (found.length === 0) throw new MailwireError('file', `CA folder ${path} holds no PEM certificate (*.pem, *.crt, *.cer or hash links)`);
  return found;
}

/** Every certificate of the CA files and folders given, in order. */
export async function readCaPaths(paths: readonly string[]): Promise<string[]> {
  const all: string[] = [];
  for (const path of paths) all.push(...(await caCertificates(path)));
  return all;
}

/** The client certificate and its key: the key from `keyFile`, or from the certificate's own file. */
export async function readClientCertificate(certFile: string, keyFile: string | undefined): Promise<{ cert: string; key: string }> {
  const cert = await read('client certificate', certFile);
  if (!PEM_CERTIFICATE.test(cert)) throw new MailwireError('file', `client certificate ${certFile} holds no PEM certificate`);
  PEM_CERTIFICATE.lastIndex = 0;
  const key = keyFile === undefined ? cert : await read('client key', keyFile);
  if (!/-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/.test(key)) {
    throw new MailwireError(
      'file',
      keyFile === undefined ? `client certificate ${certFile} holds no private key: give it with --key FILE` : `client key ${keyFile} holds no PEM private key`,
    );
  }
  // A key that is not the certificate's fails the handshake after connecting, in OpenSSL's words
  // ("key values mismatch"): said here, before anything connects.
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch (error) {
    throw new MailwireError('file', `client key ${keyFile ?? certFile} cannot be read: ${(error as Error).message.replace(/^error:[0-9A-F]+:[^:]*::/, '')} (an encrypted key is not supported)`);
  }
  let matches: boolean;
  try {
    matches = new X509Certificate(cert).checkPrivateKey(privateKey);
  } catch (error) {
    throw new MailwireError('file', `client certificate ${certFile} cannot be read: ${(error as Error).message.replace(/^error:[0-9A-F]+:[^:]*::/, '')}`);
  }
  if (!matches) throw new MailwireError('file', `client key ${keyFile ?? certFile} is not the private key of certificate ${certFile}`);
  return { cert, key };
}
