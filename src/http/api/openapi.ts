import { z } from 'zod'
import type { ApiRoute } from './routes.js'
import { ApiErrorBody } from './schemas.js'

const REFUSALS: Record<number, string> = {
  400: 'The request is malformed: `fields` names each field at fault',
  401: 'No key, or a key that is wrong or revoked',
  403: 'The key may not do this',
  404: 'No such ticket',
  409: 'The ticket cannot take this now (closed, or a step the lifecycle does not allow)',
  413: 'The body is larger than the API takes',
  422: 'The Idempotency-Key was used with another request',
  429: 'Too many requests for this key: wait for Retry-After seconds',
}

type JsonSchema = Record<string, unknown>

const REF = /#\/components\/schemas\/([A-Za-z]+)/g
const refTo = (id: string): string => `#/components/schemas/${id}`

/** A schema as JSON Schema: a `$ref` to its component when it has an id, else written out. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const id = z.globalRegistry.get(schema)?.id
  if (id !== undefined) return { $ref: refTo(id) }
  return bare(z.toJSONSchema(schema, { io, unrepresentable: 'any' }))
}

/** A schema without what only a standalone JSON Schema carries (its dialect and id). */
function bare(schema: JsonSchema): JsonSchema {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema' && key !== '$id'))
}

/** Every schema with an id, as requests read them (`input`) or as answers are written (`output`). */
function registered(io: 'input' | 'output'): Record<string, JsonSchema> {
  return z.toJSONSchema(z.globalRegistry, { io, unrepresentable: 'any', uri: refTo }).schemas
}

/** Component schemas: the ones the routes use, the error shape, and those they refer to. */
function components(routes: readonly ApiRoute[]): Record<string, JsonSchema> {
  const requests = new Set(
    routes.flatMap((r) => (r.body === undefined ? [] : [z.globalRegistry.get(r.body)?.id])),
  )
  const input = registered('input')
  const output = registered('output')
  const schemaOf = (id: string) => (requests.has(id) ? input[id] : output[id]) ?? {}
  const used = new Set<string>([String(z.globalRegistry.get(ApiErrorBody)?.id)])
  for (const r of routes)
    for (const s of [r.body, r.answer.schema]) {
      const id = s === undefined ? undefined : z.globalRegistry.get(s)?.id
      if (id !== undefined) used.add(id)
    }
  // A component may refer to others (a Ticket to its Contact).
  for (const id of used) for (const m of JSON.stringify(schemaOf(id)).matchAll(REF)) used.add(m[1] ?? '')
  return Object.fromEntries([...used].sort().map((id) => [id, bare(schemaOf(id))]))
}

function parameters(route: ApiRoute): JsonSchema[] {
  const list: JsonSchema[] = []
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (schema === undefined) continue
    const s = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] }
    for (const [name, prop] of Object.entries(s.properties ?? {})) {
      const { description, ...rest } = prop
      list.push({
        name,
        in: where,
        required: where === 'path' || (s.required ?? []).includes(name),
        ...(typeof description === 'string' && { description }),
        schema: rest,
      })
    }
  }
  if (route.idempotent === true) {
    list.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'The same key with the same body within 24 hours answers the first answer again and creates nothing; with another body, 422.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    })
  }
  return list
}

const refusal = (status: number) => ({
  description: REFUSALS[status] ?? 'Refused',
  ...(status === 429 && {
    headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } },
  }),
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
})

/** The OpenAPI 3.1 document of the routes, made from their own schemas. */
export function openApiDocument(routes: readonly ApiRoute[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const route of routes) {
    const statuses = [400, 401, 429, ...route.refusals, ...(route.role === 'admin' ? [403] : [])]
    paths[route.path] ??= {}
    paths[route.path]![route.method.toLowerCase()] = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description !== undefined && { description: route.description }),
      parameters: parameters(route),
      ...(route.body !== undefined && {
        requestBody: {
          required: true,
          content: { 'application/json': { schema: jsonSchema(route.body, 'input') } },
        },
      }),
      responses: {
        [String(route.answer.status)]: {
          description: route.answer.description,
          content: { 'application/json': { schema: jsonSchema(route.answer.schema, 'output') } },
        },
        ...Object.fromEntries([...new Set(statuses)].sort().map((s) => [String(s), refusal(s)])),
      },
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'threaddesk API',
      version: '1',
      description:
        'Open tickets for your customers, add their messages, and read and change tickets. Every request carries `Authorization: Bearer KEY` (admins create keys in Slack with `/apikey create NAME`). Refusals share one shape (`Error`).',
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: components(routes),
    },
  }
}
