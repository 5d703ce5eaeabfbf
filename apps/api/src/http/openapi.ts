import { applyDecorators, type INestApplication } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Malformed JSON, unknown or missing fields, wrong types, bad ids (problem+json with `errors` per field)',
  401: 'No or invalid bearer token',
  403: 'Role or territorial scope does not allow it',
  404: 'Unknown resource',
  409: 'A domain rule or a concurrent writer refused the command (stable `code`)',
  412: 'Stale If-Match',
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

export const ApiAuthenticated = (): MethodDecorator & ClassDecorator =>
  applyDecorators(ApiBearerAuth(), ApiProblems(401, 403));

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
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
