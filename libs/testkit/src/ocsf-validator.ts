import { readFileSync } from 'node:fs';

// Checks an OCSF event against the compiled schema of the version it claims, the way the OCSF server's reference
// validator does: required attributes, only attributes the class (and its declared profiles) define, types, enum
// ids, `type_uid`, and observables that name a real attribute with the matching observable type.

interface Attribute {
  type: string;
  object_type?: string;
  is_array?: boolean;
  requirement?: 'required' | 'recommended' | 'optional';
  enum?: Record<string, { caption: string }>;
  sibling?: string;
  profiles?: string[];
  observable?: number;
}

interface Shape {
  attributes: Record<string, Attribute>;
  observable?: number;
}

export interface OcsfSchema {
  version: string;
  classes: Record<string, Shape & { uid: number }>;
  objects: Record<string, Shape>;
  dictionary: { attributes: Record<string, Attribute>; types: { attributes: Record<string, { type?: string; observable?: number }> } };
}

/** The compiled OCSF 1.3.0 schema kept with the testkit (fixtures/ocsf/README.md). */
export function loadOcsfSchema(): OcsfSchema {
  return JSON.parse(readFileSync(new URL('../fixtures/ocsf/ocsf-1.3.0-compiled.json', import.meta.url), 'utf8')) as OcsfSchema;
}

type Json = unknown;

/** The base type of a dictionary type (`ip_t` → `string_t`, `timestamp_t` → `long_t`). */
function baseType(schema: OcsfSchema, type: string): string {
  let current = type;
  for (let depth = 0; depth < 5; depth += 1) {
    const parent = schema.dictionary.types.attributes[current]?.type;
    if (!parent) return current;
    current = parent;
  }
  return current;
}

function typeProblem(schema: OcsfSchema, type: string, value: Json): string | null {
  switch (baseType(schema, type)) {
    case 'string_t': return typeof value === 'string' ? null : 'a string';
    case 'integer_t':
    case 'long_t': return Number.isInteger(value) ? null : 'an integer';
    case 'float_t': return typeof value === 'number' ? null : 'a number';
    case 'boolean_t': return typeof value === 'boolean' ? null : 'a boolean';
    case 'json_t': return null;
    case 'object_t': return typeof value === 'object' && value !== null && !Array.isArray(value) ? null : 'an object';
    default: return null;
  }
}

function checkShape(schema: OcsfSchema, shape: Shape, value: Record<string, Json>, path: string, profiles: ReadonlySet<string>, problems: string[]): void {
  for (const [name, attribute] of Object.entries(shape.attributes)) {
    const fromProfile = attribute.profiles?.length ? attribute.profiles.some((profile) => profiles.has(profile)) : true;
    if (attribute.requirement === 'required' && fromProfile && value[name] === undefined) problems.push(`${path}${name}: required`);
  }
  for (const [name, item] of Object.entries(value)) {
    const attribute = shape.attributes[name];
    const at = `${path}${name}`;
    if (!attribute) {
      problems.push(`${at}: not an attribute here`);
      continue;
    }
    if (attribute.profiles?.length && !attribute.profiles.some((profile) => profiles.has(profile))) {
      problems.push(`${at}: needs profile ${attribute.profiles.join(' or ')} in metadata.profiles`);
    }
    const items = attribute.is_array ? (Array.isArray(item) ? item : (problems.push(`${at}: must be an array`), [])) : [item];
    for (const element of items) checkValue(schema, name, attribute, element, at, profiles, problems);
  }
}

function checkValue(schema: OcsfSchema, name: string, attribute: Attribute, value: Json, at: string, profiles: ReadonlySet<string>, problems: string[]): void {
  const expected = typeProblem(schema, attribute.type, value);
  if (expected) {
    problems.push(`${at}: must be ${expected}`);
    return;
  }
  const enumeration = attribute.enum ?? schema.dictionary.attributes[name]?.enum;
  if (enumeration && !Object.hasOwn(enumeration, String(value))) problems.push(`${at}: ${JSON.stringify(value)} is not one of its enum ids`);
  if (attribute.type === 'object_t' && attribute.object_type && attribute.object_type !== 'object') {
    const shape = schema.objects[attribute.object_type];
    if (!shape) problems.push(`${at}: unknown object ${attribute.object_type}`);
    else checkShape(schema, shape, value as Record<string, Json>, `${at}.`, profiles, problems);
  }
}

/** The attribute a dotted observable name points at, through objects and arrays; null if none. */
function resolve(schema: OcsfSchema, shape: Shape, name: string): { attribute: Attribute; field: string } | null {
  const [head, ...rest] = name.split('.');
  const attribute = head ? shape.attributes[head.replace(/\[\]$/, '')] : undefined;
  if (!attribute || !head) return null;
  if (rest.length === 0) return { attribute, field: head.replace(/\[\]$/, '') };
  const inner = attribute.object_type ? schema.objects[attribute.object_type] : undefined;
  return inner ? resolve(schema, inner, rest.join('.')) : null;
}

/** The observable type id of an attribute: its own, its dictionary entry's, its type's, or its object's. */
function observableTypeOf(schema: OcsfSchema, attribute: Attribute, field: string): number | null {
  return attribute.observable
    ?? schema.dictionary.attributes[field]?.observable
    ?? schema.dictionary.types.attributes[attribute.type]?.observable
    ?? (attribute.object_type ? schema.objects[attribute.object_type]?.observable : undefined)
    ?? null;
}

/** Every way `event` departs from `schema` (empty when it conforms). */
export function ocsfProblems(schema: OcsfSchema, event: Record<string, Json>): string[] {
  const problems: string[] = [];
  const classEntry = Object.values(schema.classes).find((entry) => entry.uid === event['class_uid']);
  if (!classEntry) return [`class_uid ${String(event['class_uid'])}: no such class in OCSF ${schema.version}`];
  const metadata = (event['metadata'] ?? {}) as { version?: string; profiles?: string[] };
  if (metadata.version !== schema.version) problems.push(`metadata.version: ${String(metadata.version)}, checked against ${schema.version}`);
  const profiles = new Set(metadata.profiles ?? []);
  checkShape(schema, classEntry, event, '', profiles, problems);
  if (event['type_uid'] !== Number(event['class_uid']) * 100 + Number(event['activity_id'])) problems.push('type_uid: must be class_uid * 100 + activity_id');
  for (const [index, observable] of ((event['observables'] ?? []) as { name: string; type_id: number }[]).entries()) {
    const target = resolve(schema, classEntry, observable.name);
    if (!target) {
      problems.push(`observables[${index}].name: ${observable.name} names no attribute of the class`);
      continue;
    }
    const expected = observableTypeOf(schema, target.attribute, target.field);
    if (expected !== observable.type_id) problems.push(`observables[${index}]: ${observable.name} is observable type ${expected ?? 'none'}, not ${observable.type_id}`);
  }
  return problems;
}
