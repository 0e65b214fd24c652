import { describe, expect, it } from 'vitest';
import { groupDigits, typedDigits } from '../src/index.ts';

describe('groupDigits', () => {
  it.each([
    ['42', '42'], ['123', '123'], ['1234', '1234'], ['12345', '12345'],
    ['123456', '123 456'], ['012345', '012 345'], ['1234567', '1 234 567'], ['12345678', '12 345 678'],
  ])('shows %s as "%s"', (digits, shown) => {
    expect(groupDigits(digits)).toBe(shown);
  });

  it('leaves what is not a string of digits unchanged', () => {
    for (const other of ['', 'abc123', '123 456', '-123456']) expect(groupDigits(other)).toBe(other);
  });

  it('is undone by typedDigits, which takes what a person typed or pasted', () => {
    for (const digits of ['42', '123456', '1234567', '12345678']) expect(typedDigits(groupDigits(digits))).toBe(digits);
    expect(typedDigits(' 123  456\t')).toBe('123456');
    expect(typedDigits('12\u00a0345\u00a0678')).toBe('12345678');
  });
});
