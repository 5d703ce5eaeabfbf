import { applyDecorators, type INestApplication } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';

interface SchemaObject {
  properties?: Record<string, { format?: string; pattern?: string; type?: string }>;
  additionalProperties?: boolean;
}

/**
 * What the validators check, added to the schemas they guard so the documentation cannot say less than
 * the API refuses: a UUID field says `format: uuid`, a calendar date `format: date`, a pattern its `pattern`.
 * Schemas are named after their DTO classes (names are unique: the OpenAPI suite checks it).
 */
function documentValidation(document: { components?: { schemas?: Record<string, SchemaObject> } }): void {
  const schemas = document.components?.schemas ?? {};
  const storage = getMetadataStorage() as unknown as {
    validationMetadatas: Map<{ name: string }, { propertyName: string; name?: string; constraints?: unknown[] }[]>;
  };
  for (const target of storage.validationMetadatas.keys()) {
    const schema = schemas[target.name];
    if (!schema?.properties) continue;
    // A DTO's own validators and those it inherits (DatedDto's `on`).
    const metadatas = [];
    for (let t: unknown = target; typeof t === 'function' && t !== Function.prototype; t = Object.getPrototypeOf(t)) {
      metadatas.push(...(storage.validationMetadatas.get(t as { name: string }) ?? []));
    }
    // The validation pipe refuses fields a DTO does not declare (forbidNonWhitelisted): so does the schema.
    schema.additionalProperties = false;
    for (const m of metadatas) {
      const property = schema.properties[m.propertyName];
      if (!property || property.type === 'array') continue;
      if (m.name === 'isUuid') property.format ??= 'uuid';
      else if (m.name === 'isCalendarDate') property.format ??= 'date';
      else if (m.name === 'matches' && m.constraints?.[0] instanceof RegExp) property.pattern ??= (m.constraints[0] as RegExp).source;
    }
  }
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed JSON, unknown or missing fields, wrong types, bad ids (problem+json with `errors` per field)',
  401: 'No or invalid bearer token',
  403: 'Role or territorial scope does not allow it',
  404: 'Unknown resource',
  409: 'A domain rule or a concurrent writer refused the command (stable `code`)',
  412: 'Stale If-Match',
  413: 'Body larger than the limit',
  422: 'Idempotency key reused with another body',
  500: 'A bug; the body carries a correlation id',
  503: 'Storage unavailable; nothing was written',
};

/** Documents the problem+json responses a route can give. 401, 500 and 503 are listed everywhere. */
export const ApiProblems = (...statuses: number[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ...[...new Set([...statuses, 500, 503])].map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', content: { 'application/problem+json': {} } }),
    ),
  );

export const ApiAuthenticated = (): MethodDecorator & ClassDecorator => applyDecorators(ApiBearerAuth(), ApiProblems(401, 403));

interface Operation {
  requestBody?: unknown;
  responses?: Record<string, unknown>;
}

/**
 * What any operation may answer before its own code runs: 400 for a URL with a NUL in its path or query
 * (refused for every route), and 413 for a body over the limit (every operation that takes a body).
 */
function documentBeforeRoutes(document: { paths: Record<string, Record<string, Operation>> }): void {
  const problem = (status: number) => ({ description: DESCRIPTIONS[status], content: { 'application/problem+json': {} } });
  for (const methods of Object.values(document.paths)) {
    for (const operation of Object.values(methods)) {
      if (!operation.responses) continue;
      operation.responses['400'] ??= problem(400);
      if (operation.requestBody) operation.responses['413'] ??= problem(413);
    }
  }
}

export function mountOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Jejak API')
    .setDescription(
      'Event-sourced case management for village migrant-worker advocacy units (KKBM). ' +
        'Errors are application/problem+json; commands take If-Match and return ETag; every response has X-Correlation-Id.',
    )
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  documentValidation(document as unknown as { components?: { schemas?: Record<string, SchemaObject> } });
  documentBeforeRoutes(document as unknown as { paths: Record<string, Record<string, Operation>> });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
