import Type from 'typebox';

/** A 204 answer's schema: no body (fastify sends none for 204; the OpenAPI document shows a response without content). */
export const NoContent = Type.Null({ description: 'No content' });
