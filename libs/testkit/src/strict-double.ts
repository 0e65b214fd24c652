import { vi, type Mock } from 'vitest';

// Strict typed doubles of ports for use-case unit tests (immich's `newTestService`): every method of a port is a typed
// mock that rejects until the test says what it answers, so a use case that touches a port the test did not expect
// fails, and a failure path ("the event sink throws after the write") is one line.

type Method = (...args: never[]) => unknown;

export type Double<T> = { [K in keyof T]: T[K] extends Method ? Mock<T[K]> & T[K] : never };

/** `methods` lists every method of the port (the Record type makes the compiler check that none is missing). */
export function strictDouble<T>(port: string, methods: Record<keyof T, true>): Double<T> {
  const double: Record<string, Mock> = {};
  for (const method of Object.keys(methods)) {
    double[method] = vi.fn(() => Promise.reject(new Error(`unexpected call: ${port}.${method}`)));
  }
  return double as Double<T>;
}
