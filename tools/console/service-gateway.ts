import type { FastifyReply } from 'fastify';

export type ConsoleService = 'enrollment' | 'challenge' | 'verification' | 'anomaly-detection';

/** A service's answer as it came: passed back to the page with its status, type, Retry-After and body. */
export interface ServiceAnswer {
  status: number;
  type: string;
  retryAfter: string | null;
  text: string;
}

export interface ForwardedRequest {
  service: ConsoleService;
  method: string;
  /** Path and query at the service. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export type ServiceGateway = (request: ForwardedRequest) => Promise<ServiceAnswer>;

/** Calls the services' public APIs at their base URLs; the console adds nothing a service would not accept directly. */
export function serviceGateway(services: Record<ConsoleService, string>): ServiceGateway {
  return async ({ service, method, path, headers, body }) => {
    const response = await fetch(`${services[service]}${path}`, { method, headers, ...(body ? { body } : {}) });
    const text = await response.text();
    return { status: response.status, type: response.headers.get('content-type') ?? 'application/json', retryAfter: response.headers.get('retry-after'), text };
  };
}

export function sendAnswer(reply: FastifyReply, answer: ServiceAnswer): FastifyReply {
  if (answer.retryAfter) void reply.header('retry-after', answer.retryAfter);
  return reply.status(answer.status).type(answer.type).send(answer.text || undefined);
}
