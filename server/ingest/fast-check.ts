/**
 * A fast yes/no check compiled from a zod schema, for the hot path of ingestion: validating 500
 * records with zod costs more than storing them. The zod schemas in `tapline/wire` stay the only
 * definition; this reads their definitions (`_zod.def`) once and builds plain predicates.
 *
 * Contract: `check(v)` returns true only when `schema.parse(v)` would succeed and return a value
 * deep-equal to `v`. Anything it is not sure about answers false — unknown object keys (zod would
 * strip them), a missing key with a default (zod would fill it), any refinement — and the caller
 * then runs zod itself, which also produces the error messages. So false is never an error, only
 * "ask zod". A schema construct the compiler does not know throws at compile time
 * (`UnsupportedSchemaError`), so a change to the wire schemas cannot silently weaken validation.
 */
import type { z } from "zod";

export type FastCheck = (value: unknown) => boolean;

export class UnsupportedSchemaError extends Error {}

interface Def {
  type: string;
  checks?: { _zod: { def: CheckDef } }[];
  shape?: Record<string, { _zod: { def: Def } }>;
  catchall?: unknown;
  innerType?: { _zod: { def: Def } };
  element?: { _zod: { def: Def } };
  entries?: Record<string, string | number>;
  values?: unknown[];
  coerce?: boolean;
}

interface CheckDef {
  check: string;
  format?: string;
  pattern?: RegExp;
  minimum?: number;
  maximum?: number;
  value?: number;
  inclusive?: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function compileFastCheck(schema: z.ZodType): FastCheck {
  return compile((schema as unknown as { _zod: { def: Def } })._zod.def, "(root)");
}

function compile(def: Def, path: string): FastCheck {
  const checks = (def.checks ?? []).map((c) => c._zod.def);
  switch (def.type) {
    case "string": {
      const all = allOf(checks.map((c) => stringCheck(c, path)));
      return (v) => typeof v === "string" && all(v);
    }
    case "number": {
      if (def.coerce) throw unsupported(path, "coercion");
      const all = allOf(checks.map((c) => numberCheck(c, path)));
      return (v) => typeof v === "number" && Number.isFinite(v) && all(v);
    }
    case "enum": {
      noChecks(checks, path);
      const allowed = new Set(Object.values(def.entries ?? {}));
      return (v) => allowed.has(v as string);
    }
    case "literal": {
      noChecks(checks, path);
      const allowed = new Set(def.values ?? []);
      return (v) => v !== undefined && allowed.has(v);
    }
    case "unknown":
      noChecks(checks, path);
      return () => true;
    case "nullable": {
      noChecks(checks, path);
      const inner = compile(def.innerType!._zod.def, path);
      return (v) => v === null || inner(v);
    }
    case "optional": {
      noChecks(checks, path);
      const inner = compile(def.innerType!._zod.def, path);
      return (v) => v === undefined || inner(v);
    }
    case "default": {
      // Absent → zod fills in the default, so the output would differ from the input: ask zod.
      noChecks(checks, path);
      const inner = compile(def.innerType!._zod.def, path);
      return (v) => v !== undefined && inner(v);
    }
    case "array": {
      const el = compile(def.element!._zod.def, `${path}[]`);
      const length = allOf(checks.map((c) => lengthCheck(c, path)));
      return (v) => {
        if (!Array.isArray(v) || !length(v.length)) return false;
        for (let i = 0; i < v.length; i++) if (!el(v[i])) return false;
        return true;
      };
    }
    case "object": {
      noChecks(checks, path);
      if (def.catchall !== undefined) throw unsupported(path, "catchall");
      const shape = def.shape ?? {};
      const keys = Object.keys(shape);
      const fields = keys.map((k) => compile(shape[k]!._zod.def, `${path}.${k}`));
      const known = new Set(keys);
      return (v) => {
        if (!isObject(v)) return false;
        for (let i = 0; i < keys.length; i++) if (!fields[i]!(v[keys[i]!])) return false;
        // zod strips keys it does not know: the output would differ, so let zod do it.
        for (const k in v) if (!known.has(k)) return false;
        return true;
      };
    }
    default:
      throw unsupported(path, `type ${def.type}`);
  }
}

/** One predicate for a list of them, without a loop per call for the usual zero to two. */
function allOf<T>(parts: ((v: T) => boolean)[]): (v: T) => boolean {
  if (parts.length === 0) return () => true;
  if (parts.length === 1) return parts[0]!;
  const [first, ...rest] = parts;
  const others = allOf(rest);
  return (v) => first!(v) && others(v);
}

function stringCheck(c: CheckDef, path: string): (s: string) => boolean {
  if (c.check === "min_length" || c.check === "max_length" || c.check === "length_equals") {
    const ok = lengthCheck(c, path);
    return (s) => ok(s.length);
  }
  if (c.check === "string_format" && c.format === "regex" && c.pattern) {
    const re = new RegExp(c.pattern.source, c.pattern.flags.replace(/[gy]/g, ""));
    return (s) => re.test(s);
  }
  throw unsupported(path, `string check ${c.check}${c.format ? ` (${c.format})` : ""}`);
}

function numberCheck(c: CheckDef, path: string): (n: number) => boolean {
  if (c.check === "number_format" && c.format === "safeint") return (n) => Number.isSafeInteger(n);
  if (c.check === "greater_than" && typeof c.value === "number") {
    const min = c.value;
    return c.inclusive ? (n) => n >= min : (n) => n > min;
  }
  if (c.check === "less_than" && typeof c.value === "number") {
    const max = c.value;
    return c.inclusive ? (n) => n <= max : (n) => n < max;
  }
  throw unsupported(path, `number check ${c.check}${c.format ? ` (${c.format})` : ""}`);
}

function lengthCheck(c: CheckDef, path: string): (n: number) => boolean {
  if (c.check === "min_length" && typeof c.minimum === "number") return (n) => n >= c.minimum!;
  if (c.check === "max_length" && typeof c.maximum === "number") return (n) => n <= c.maximum!;
  if (c.check === "length_equals" && typeof (c as { length?: number }).length === "number") {
    const len = (c as { length?: number }).length!;
    return (n) => n === len;
  }
  throw unsupported(path, `length check ${c.check}`);
}

function noChecks(checks: CheckDef[], path: string): void {
  if (checks.length) throw unsupported(path, `check ${checks[0]!.check}`);
}

function unsupported(path: string, what: string): UnsupportedSchemaError {
  return new UnsupportedSchemaError(`compileFastCheck: ${what} at ${path} is not supported; extend server/ingest/fast-check.ts or validate with zod`);
}
