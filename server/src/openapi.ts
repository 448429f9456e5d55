import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_PATTERN, IDEMPOTENT_REPLAYED_HEADER } from '@xinyuan/shared';
import { PUBLIC_EXTENSION } from './common/auth/decorators';

/** Every signed-in write takes an idempotency key (common/idempotency); said once here for all of them. */
const IDEMPOTENCY_PARAMETER = {
  name: IDEMPOTENCY_KEY_HEADER,
  in: 'header',
  required: false,
  description:
    `Optional. The same key from the same user on the same route with the same body, within a day, returns the first answer (status and body, with ${IDEMPOTENT_REPLAYED_HEADER}: true) and changes nothing. ` +
    'Refusals: 400 IDEMPOTENCY_KEY_INVALID (malformed key); 422 IDEMPOTENCY_KEY_REUSED (same key, another route or body); 409 IDEMPOTENCY_KEY_IN_USE (the first request is still running; Retry-After: seconds); ' +
    '409 IDEMPOTENCY_OUTCOME_UNKNOWN (the first request wrote but its answer was lost: read the object again). A 4xx answer is kept like a 2xx; a 5xx before any write frees the key.',
  schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source, minLength: 8, maxLength: 100 },
};
const WRITE_METHODS = new Set(['post', 'put', 'patch', 'delete']);

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const cfg = new DocumentBuilder()
    .setTitle('Xinyuan API')
    .setDescription('微心愿“四级分办”: wishes, claims, the ledger. Errors are {code, message} with stable codes.')
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  const doc = SwaggerModule.createDocument(app, cfg, { operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}` });
  // Public routes (health, login, signed photo and export links) take no bearer token, even in a controller that does.
  for (const item of Object.values(doc.paths)) {
    for (const [method, op] of Object.entries(item) as Array<[string, Record<string, unknown>]>) {
      if (!op || typeof op !== 'object') continue;
      if (op[PUBLIC_EXTENSION]) {
        delete op[PUBLIC_EXTENSION];
        op.security = [];
      } else if (WRITE_METHODS.has(method)) {
        op.parameters = [...((op.parameters as unknown[]) ?? []), IDEMPOTENCY_PARAMETER];
      }
    }
  }
  return doc;
}

/** Serves the document at /api/docs (UI) and /api/docs-json. */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, () => buildOpenApi(app), { jsonDocumentUrl: 'api/docs-json', useGlobalPrefix: false });
}

/** Stable text of the document, as checked in at server/openapi.json. */
export function openApiText(doc: OpenAPIObject): string {
  return JSON.stringify(doc, null, 2) + '\n';
}
