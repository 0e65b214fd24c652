import { readFileSync } from 'node:fs';
import { ConfigError } from '@vigil/config';
import type { HttpTransport } from '@vigil/http';
import type { RuntimeConfig } from './service-runtime.ts';

/** HTTPS from TLS_CERT_FILE and TLS_KEY_FILE (both or neither), and TRUST_PROXY. */
export function httpTransport(config: RuntimeConfig): HttpTransport {
  const { TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile } = config;
  if (Boolean(certFile) !== Boolean(keyFile)) throw new ConfigError(['TLS_CERT_FILE and TLS_KEY_FILE: set both for HTTPS, or neither']);
  const read = (name: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new ConfigError([`${name}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
    }
  };
  return {
    trustProxy: config.TRUST_PROXY,
    ...(certFile && keyFile ? { tls: { cert: read('TLS_CERT_FILE', certFile), key: read('TLS_KEY_FILE', keyFile) } } : {}),
  };
}
