import { currentTotp, groupDigits, parseOtpauthUri, totpAccountLabel, type TotpAccount } from '@vigil/device-sdk';
import { readProfile, saveProfile, type ProfileRef } from './profile-store.ts';

/**
 * `totp add <otpauth-uri>`: keeps the account in the profile, next to the push key (one authenticator for both
 * factors). Adding the same issuer and account again replaces it, as re-scanning a QR code does in a phone app.
 */
export function addTotpAccount(ref: ProfileRef, uri: string): TotpAccount {
  const added = parseOtpauthUri(uri);
  const saved = readProfile(ref);
  const others = (saved.totpAccounts ?? []).filter((kept) => !sameAccount(kept, added));
  saveProfile(ref, { ...saved, totpAccounts: [...others, added] });
  return added;
}

/**
 * `totp code [<account>]`: one line per account (or the ones `wanted` names: the account, `issuer:account`, or the
 * label shown), with the code grouped as every Vigil screen shows it and the seconds it has left. Never the secret.
 */
export function totpCodeLines(ref: ProfileRef, wanted?: string, at: Date = new Date()): string[] {
  const accounts = readProfile(ref).totpAccounts ?? [];
  if (accounts.length === 0) throw new Error('no TOTP account yet: add one with `npm run device -- totp add <otpauth-uri>`');
  const chosen = wanted ? accounts.filter((account) => names(account).includes(wanted.toLowerCase())) : accounts;
  if (chosen.length === 0) throw new Error(`no TOTP account "${wanted}"; there are: ${accounts.map(totpAccountLabel).join(', ')}`);
  return chosen.map((account) => {
    const { code, secondsLeft } = currentTotp(account, at);
    return `${totpAccountLabel(account)}  ${groupDigits(code)}  ${secondsLeft} s left`;
  });
}

const sameAccount = (a: TotpAccount, b: TotpAccount) => a.issuer === b.issuer && a.account === b.account;
const names = (account: TotpAccount) => [account.account, `${account.issuer}:${account.account}`, totpAccountLabel(account)].map((name) => name.toLowerCase());
