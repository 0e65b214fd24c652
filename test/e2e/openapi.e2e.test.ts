import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, inject, it } from 'vitest';

const stack = inject('stack') as { services: Record<string, string> };

// CONTRACT.md's route tables (§4–§7), by the service that answers them. Webhooks (§7a) come with their routes.
const CONTRACT_ROUTES: Record<string, string[]> = {
  enrollment: [
    'POST /v1/users/{userId}/push-enrollments', 'POST /v1/enrollments/activate', 'GET /v1/users/{userId}/factors',
    'DELETE /v1/users/{userId}/push-device', 'PUT /v1/device/push-token', 'DELETE /v1/device', 'POST /v1/users/{userId}/totp-enrollments',
    'POST /v1/users/{userId}/totp-enrollments/{enrollmentId}/confirm', 'DELETE /v1/users/{userId}/totp',
  ],
  challenge: ['POST /v1/challenges', 'GET /v1/challenges/{challengeId}', 'DELETE /v1/challenges/{challengeId}', 'GET /v1/policy', 'PUT /v1/policy'],
  verification: [
    'GET /v1/device/challenges/pending', 'GET /v1/device/challenges/{challengeId}', 'POST /v1/device/challenges/{challengeId}/response', 'POST /v1/totp/verify',
  ],
  notification: [],
  'anomaly-detection': ['GET /v1/alerts', 'DELETE /v1/users/{userId}/push-suspension'],
};

interface Operation {
  security?: Array<Record<string, string[]>>;
  responses: Record<string, { content?: Record<string, { schema: { properties?: { code?: { enum?: string[] } } } }> }>;
}

async function documentOf(service: string): Promise<{ openapi: string; paths: Record<string, Record<string, Operation>> }> {
  const response = await fetch(`${stack.services[service]}/openapi.json`);
  expect(response.status).toBe(200);
  return response.json() as Promise<{ openapi: string; paths: Record<string, Record<string, Operation>> }>;
}

const codesOf = (operation: Operation) =>
  Object.values(operation.responses).flatMap((response) => response.content?.['application/problem+json']?.schema.properties?.code?.enum ?? []);

describe('OpenAPI documents (CONTRACT §1 v2)', () => {
  for (const [service, routes] of Object.entries(CONTRACT_ROUTES)) {
    it(`${service}: a valid OpenAPI 3.1 document describing each of its contract routes`, async () => {
      const document = await documentOf(service);
      expect(document.openapi).toBe('3.1.0');
      // An independent parser: resolves every reference and checks the document against the OpenAPI 3.1 schema.
      await SwaggerParser.validate(structuredClone(document) as never);
      const described = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
      for (const route of routes) {
        expect(described, route).toContain(route);
        // Each answers with a declared success: a body schema, or 204 without content.
        const [method, path] = route.split(' ') as [string, string];
        const responses = document.paths[path]?.[method.toLowerCase()]?.responses ?? {};
        const successes = Object.entries(responses).filter(([status]) => status.startsWith('2'));
        expect(successes.length, `${route} declares its success`).toBeGreaterThan(0);
        for (const [status, response] of successes) {
          if (status !== '204') expect(response.content?.['application/json']?.schema, `${route} ${status} body schema`).toBeDefined();
        }
      }
    });
  }

  it('names each route\'s security and its problem+json codes', async () => {
    const challenge = await documentOf('challenge');
    const create = challenge.paths['/v1/challenges']?.['post'] as Operation;
    expect(create.security).toEqual([{ apiKey: [] }]);
    expect(codesOf(create)).toEqual(expect.arrayContaining(['validation_failed', 'unauthorized', 'forbidden', 'no_push_device', 'push_suspended', 'throttled', 'unavailable']));
    const verification = await documentOf('verification');
    const respond = verification.paths['/v1/device/challenges/{challengeId}/response']?.['post'] as Operation;
    expect(respond.security).toEqual([{ deviceId: [], deviceTimestamp: [], deviceSignature: [] }]);
    expect(codesOf(respond)).toEqual(expect.arrayContaining(['invalid_signature', 'replayed', 'not_found', 'already_decided', 'expired', 'number_mismatch']));
  });
});
