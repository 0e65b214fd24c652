import type { DeviceKeys, TotpAccount } from '@vigil/device-sdk';

/** The browser authenticator's key pair and activation, kept in IndexedDB (the secret key never leaves the browser). */
export interface StoredDevice {
  keys: DeviceKeys;
  activation: { deviceId: string; tenantId: string; userId: string; serverPublicKey: string; serverKeyId: string };
}

const DB = 'vigil-authenticator';
const STORE = 'device';
// The TOTP accounts sit next to the push key, in the same store: one authenticator for both factors. Their secrets
// stay here too; the page never sends them anywhere.
const TOTP_ACCOUNTS = 'totp-accounts';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run<T>(mode: IDBTransactionMode, action: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  return new Promise((resolve, reject) => {
    const request = action(db.transaction(STORE, mode).objectStore(STORE));
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export async function saveDevice(device: StoredDevice): Promise<void> {
  // Structured clone keeps the Uint8Array secret key as bytes; the engine (functions) is not stored.
  await run('readwrite', (store) => store.put({ secretKey: device.keys.secretKey, publicKey: device.keys.publicKey, activation: device.activation }, 'current'));
}

export async function loadDevice(): Promise<StoredDevice | null> {
  const saved = await run<{ secretKey: Uint8Array; publicKey: string; activation: StoredDevice['activation'] } | undefined>('readonly', (store) => store.get('current'));
  return saved ? { keys: { secretKey: saved.secretKey, publicKey: saved.publicKey }, activation: saved.activation } : null;
}

/** Forgets the push device only: the TOTP accounts stay (they are not tied to the push enrollment). */
export async function forgetDevice(): Promise<void> {
  await run('readwrite', (store) => store.delete('current'));
}

export async function saveTotpAccounts(accounts: readonly TotpAccount[]): Promise<void> {
  await run('readwrite', (store) => store.put([...accounts], TOTP_ACCOUNTS));
}

export async function loadTotpAccounts(): Promise<TotpAccount[]> {
  return (await run<TotpAccount[] | undefined>('readonly', (store) => store.get(TOTP_ACCOUNTS))) ?? [];
}
