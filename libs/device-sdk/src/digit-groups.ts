/**
 * How a number to match or a TOTP code is shown, on every screen alike (the login page, the browser authenticator,
 * the CLI): groups of three counted from the right, as thousands are written — `123 456`, `1 234 567`, `12 345 678`.
 * Six or eight digits read and type in two or three glances; up to five digits stay whole (`42`, `12345`).
 * Anything that is not a string of digits is returned unchanged.
 */
export function groupDigits(digits: string): string {
  if (!/^\d{6,}$/.test(digits)) return digits;
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 3) groups.unshift(digits.slice(Math.max(0, end - 3), end));
  return groups.join(' ');
}

/** What a person typed or pasted, with its spaces removed: they copy the grouped form (`123 456` → `123456`). */
export function typedDigits(typed: string): string {
  return typed.replace(/\s+/g, '');
}
