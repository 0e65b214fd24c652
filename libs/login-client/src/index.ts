export { createLoginClient, type CreatedChallenge, type LoginClient, type LoginClientOptions, type NewChallenge } from './login-client.ts';
export { isTransient, type LoginProblem, type LoginResult } from './login-result.ts';
