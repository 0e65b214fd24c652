import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A throwaway certificate authority and one server certificate it signed, as PEM text and files. */
export interface TestTls {
  /** The CA certificate: what a client trusts (e.g. through NODE_EXTRA_CA_CERTS). */
  caFile: string;
  caPem: string;
  keyPem: string;
  certPem: string;
  /** The server's key and certificate in one PEM file (what Kafka's PEM keystore reads). */
  keyAndCertFile: string;
  keyFile: string;
  certFile: string;
}

/**
 * Makes a CA and a certificate for `hosts` with the openssl CLI (Node can sign but cannot build X.509).
 * Valid for two days: long enough for any run, useless if it leaks.
 */
export async function createTestTls(hosts: string[]): Promise<TestTls> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-tls-'));
  const file = (name: string) => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await run('openssl', ['req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '2',
    '-subj', '/CN=Vigil test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  await run('openssl', ['req', ...ec, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', `/CN=${hosts[0] ?? 'localhost'}`]);
  writeFileSync(file('server.ext'), [
    // Addresses as IP names: a TLS client that connects to 127.0.0.1 checks an IP SAN, never a DNS one.
    `subjectAltName=${hosts.map((host) => (isIP(host) ? `IP:${host}` : `DNS:${host}`)).join(',')}`,
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=serverAuth',
  ].join('\n'));
  await run('openssl', ['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'),
    '-CAcreateserial', '-out', file('server.pem'), '-days', '2', '-extfile', file('server.ext')]);
  writeFileSync(file('server-key-and-cert.pem'), `${readFileSync(file('server.key'), 'utf8')}${readFileSync(file('server.pem'), 'utf8')}`);
  return {
    keyAndCertFile: file('server-key-and-cert.pem'),
    keyFile: file('server.key'),
    certFile: file('server.pem'),
    caFile: file('ca.pem'),
    caPem: readFileSync(file('ca.pem'), 'utf8'),
    keyPem: readFileSync(file('server.key'), 'utf8'),
    certPem: readFileSync(file('server.pem'), 'utf8'),
  };
}
