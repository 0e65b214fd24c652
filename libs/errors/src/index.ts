export { PROBLEM_STATUS, isProblemCode, type ProblemCode } from './problem-codes.ts';
export { VigilError, type VigilErrorOptions } from './vigil-error.ts';
