/** Request bodies built from the OpenAPI document alone, for tests that send every operation. */
import { randomUUID } from 'node:crypto';

export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minItems?: number;
  pattern?: string;
  maxLength?: number;
  additionalProperties?: boolean;
}
export interface Operation {
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, unknown>;
  parameters?: { in: string; name: string; schema?: Schema }[];
}
export type Doc = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

/** Values for the patterns the DTOs use without an example of their own. */
const PATTERN_EXAMPLES: Record<string, string> = {
  '^\\d{10}$': '3201012001',
  '^\\d{16}$': '3201014509980001',
  '^[A-Z]{2}$': 'MY',
};

export function exampleOf(schema: Schema, doc: Doc, depth = 0): unknown {
  if (schema.$ref) return exampleOf(doc.components.schemas[schema.$ref.split('/').pop()!]!, doc, depth + 1);
  if (schema.allOf) return exampleOf(schema.allOf[0]!, doc, depth + 1);
  if (schema.example !== undefined) return schema.example;
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case 'object':
    case undefined: {
      if (!schema.properties || depth > 8) return {};
      return Object.fromEntries(Object.entries(schema.properties).map(([name, inner]) => [name, exampleOf(inner, doc, depth + 1)]));
    }
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => exampleOf(schema.items ?? {}, doc, depth + 1));
    case 'boolean':
      return true;
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    default:
      if (schema.format === 'uuid') return randomUUID();
      if (schema.pattern && PATTERN_EXAMPLES[schema.pattern]) return PATTERN_EXAMPLES[schema.pattern];
      if (schema.format === 'date') return '2026-01-15';
      if (schema.format === 'date-time') return '2026-01-15T09:00:00+07:00';
      return 'text';
  }
}
