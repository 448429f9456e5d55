import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { PUBLIC_EXTENSION } from './common/auth/decorators';

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
    for (const op of Object.values(item) as Array<Record<string, unknown>>) {
      if (op && typeof op === 'object' && op[PUBLIC_EXTENSION]) {
        delete op[PUBLIC_EXTENSION];
        op.security = [];
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
