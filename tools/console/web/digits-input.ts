import { typedDigits } from '@vigil/device-sdk';

/**
 * Makes an <input> a comfortable box for a number to match or a TOTP code: the phone's number pad (`inputmode`), the
 * one-time-code autofill, `digits` digits and no more. People type and paste the grouped form (`123 456`): spaces
 * are dropped as they come, and a pasted value is cleaned before `maxlength` could cut it short.
 */
export function digitsInput(input: HTMLInputElement, digits: number): HTMLInputElement {
  input.inputMode = 'numeric';
  input.autocomplete = 'one-time-code';
  input.maxLength = digits;
  input.pattern = `[0-9]{${digits}}`;
  input.spellcheck = false;
  input.placeholder = '0'.repeat(digits);
  input.addEventListener('input', () => {
    const cleaned = typedDigits(input.value);
    if (cleaned !== input.value) input.value = cleaned;
  });
  input.addEventListener('paste', (event) => {
    const pasted = event.clipboardData?.getData('text');
    if (pasted === undefined) return;
    event.preventDefault();
    input.setRangeText(typedDigits(pasted), input.selectionStart ?? input.value.length, input.selectionEnd ?? input.value.length, 'end');
    input.value = input.value.slice(0, digits);
  });
  return input;
}

/** The digits typed in such an input, or null (with a reason to show) when they are not `digits` digits. */
export function digitsOf(input: HTMLInputElement, digits: number): { value: string } | { problem: string } {
  const value = typedDigits(input.value);
  return new RegExp(`^\\d{${digits}}$`).test(value) ? { value } : { problem: `Type the ${digits} digits.` };
}
