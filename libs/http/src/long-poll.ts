import Type from 'typebox';

/**
 * The longest a client may hold a request open waiting for news (CONTRACT §5, §6: `waitSeconds=0..30`): the route
 * schemas refuse more, and use cases wait what their route allows.
 */
const LONG_POLL_MAX_SECONDS = 30;

export const WaitSeconds = Type.Integer({ minimum: 0, maximum: LONG_POLL_MAX_SECONDS });
