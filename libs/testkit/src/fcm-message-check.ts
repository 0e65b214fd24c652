// What FCM HTTP v1 accepts in `POST …/messages:send` (the `Message` resource, firebase.google.com/docs/reference/fcm/
// rest/v1/projects.messages): the fake answers anything else 400 INVALID_ARGUMENT, as FCM does, so that a malformed
// message fails a test instead of passing it.

type Json = unknown;
const isObject = (value: Json): value is Record<string, Json> => typeof value === 'object' && value !== null && !Array.isArray(value);
// google.protobuf.Duration in JSON: seconds with up to nine fractional digits, then "s".
const DURATION = /^\d+(\.\d{1,9})?s$/;
// Keys FCM reserves in `data` (the request is refused with them).
const RESERVED_DATA_KEY = /^(from|notification|message_type|google(\..*)?|gcm(\..*)?)$/;

function only(value: Record<string, Json>, allowed: readonly string[], at: string, problems: string[]): void {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) problems.push(`${at}.${key}: unknown field`);
}

function stringMap(value: Json, at: string, problems: string[], checkReserved = false): void {
  if (!isObject(value)) {
    problems.push(`${at}: must be a map of strings`);
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') problems.push(`${at}.${key}: must be a string`);
    if (checkReserved && RESERVED_DATA_KEY.test(key)) problems.push(`${at}.${key}: reserved key`);
  }
}

function objectOf(value: Json, at: string, problems: string[], fields: readonly string[]): Record<string, Json> | null {
  if (!isObject(value)) {
    problems.push(`${at}: must be an object`);
    return null;
  }
  only(value, fields, at, problems);
  return value;
}

function android(value: Json, problems: string[]): void {
  const config = objectOf(value, 'message.android', problems, ['collapse_key', 'priority', 'ttl', 'restricted_package_name', 'data', 'notification', 'fcm_options', 'direct_boot_ok']);
  if (!config) return;
  // FCM's JSON enum parsing takes firebase-admin's lowercase values as well.
  if (config['priority'] !== undefined && !['NORMAL', 'HIGH', 'normal', 'high'].includes(String(config['priority']))) problems.push('message.android.priority: NORMAL or HIGH');
  if (config['ttl'] !== undefined && !(typeof config['ttl'] === 'string' && DURATION.test(config['ttl']))) problems.push('message.android.ttl: a duration such as "3.5s"');
  if (config['data'] !== undefined) stringMap(config['data'], 'message.android.data', problems, true);
}

function apns(value: Json, problems: string[]): void {
  const config = objectOf(value, 'message.apns', problems, ['headers', 'payload', 'fcm_options', 'live_activity_token']);
  if (!config) return;
  if (config['headers'] !== undefined) stringMap(config['headers'], 'message.apns.headers', problems);
  if (config['payload'] !== undefined && !isObject(config['payload'])) problems.push('message.apns.payload: must be an object');
  const expiration = isObject(config['headers']) ? config['headers']['apns-expiration'] : undefined;
  if (expiration !== undefined && !/^\d+$/.test(String(expiration))) problems.push('message.apns.headers.apns-expiration: epoch seconds');
}

/** Every reason FCM would refuse this `messages:send` body (empty when it would accept it). */
export function fcmMessageProblems(body: Json): string[] {
  const problems: string[] = [];
  if (!isObject(body)) return ['body: must be a JSON object'];
  only(body, ['message', 'validate_only'], 'body', problems);
  const message = objectOf(body['message'], 'message', problems, ['data', 'notification', 'android', 'webpush', 'apns', 'fcm_options', 'token', 'topic', 'condition']);
  if (!message) return problems;
  const targets = ['token', 'topic', 'condition'].filter((target) => message[target] !== undefined);
  if (targets.length !== 1) problems.push(`message: exactly one of token, topic or condition (got ${targets.length})`);
  for (const target of targets) if (typeof message[target] !== 'string' || message[target] === '') problems.push(`message.${target}: must be a non-empty string`);
  if (message['data'] !== undefined) stringMap(message['data'], 'message.data', problems, true);
  if (message['notification'] !== undefined) objectOf(message['notification'], 'message.notification', problems, ['title', 'body', 'image']);
  if (message['android'] !== undefined) android(message['android'], problems);
  if (message['apns'] !== undefined) apns(message['apns'], problems);
  if (message['webpush'] !== undefined) objectOf(message['webpush'], 'message.webpush', problems, ['headers', 'data', 'notification', 'fcm_options']);
  if (message['fcm_options'] !== undefined) objectOf(message['fcm_options'], 'message.fcm_options', problems, ['analytics_label']);
  return problems;
}
