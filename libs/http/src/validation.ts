import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import fp from 'fastify-plugin';

// Bodies are checked as sent: a number where a string belongs is a 400, not silently turned into "123". Query
// strings and path parameters arrive as text, so there numbers and booleans are coerced. Unknown fields are
// rejected (additionalProperties: false in the schemas), never silently dropped.
const common: Options = { allErrors: false, removeAdditional: false, useDefaults: true, strict: false };

function compilerWith(coerceTypes: Options['coerceTypes']): Ajv {
  const ajv = new Ajv({ ...common, coerceTypes });
  addFormats.default(ajv);
  return ajv;
}

export const strictValidation = fp(async (app) => {
  const strictAjv = compilerWith(false);
  const coercingAjv = compilerWith('array');
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? strictAjv : coercingAjv).compile(schema),
  );
}, { name: 'vigil-validation', fastify: '5.x' });
