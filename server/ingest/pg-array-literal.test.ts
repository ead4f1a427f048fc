import { test } from "node:test";
import assert from "node:assert/strict";
import pg from "pg";
import { adminUrl } from "../../tests/support/db";
import { numberArrayLiteral, textArrayLiteral } from "./pg-array-literal";

const TRICKY = ["plain", "", "NULL", "null", 'quote " inside', "back\\slash", '\\"', "a,b", "{braces}", " spaced ", "new\nline\ttab", "ünïcødé ☃ 🎉", "'single'", "\\", '"'];

test("text array literals read back in PostgreSQL as exactly the strings and nulls they were made from", async () => {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const values: (string | null)[] = [...TRICKY, null, ...TRICKY.map((s) => s + s)];
    const { rows } = await client.query<{ a: (string | null)[] }>("SELECT $1::text[] AS a", [textArrayLiteral(values, (v) => v)]);
    assert.deepEqual(rows[0]!.a, values);
    const empty = await client.query<{ a: string[] }>("SELECT $1::text[] AS a", [textArrayLiteral([], (v: string) => v)]);
    assert.deepEqual(empty.rows[0]!.a, []);
  } finally {
    await client.end();
  }
});

test("number array literals read back as the same integers and floats", async () => {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const ints = [0, 1, -32603, Number.MAX_SAFE_INTEGER, null];
    const floats = [1763912345678.125, 0.5, 1e-7, 1e21, null];
    const { rows } = await client.query<{ i: (string | null)[]; f: (number | null)[] }>("SELECT $1::int8[] AS i, $2::float8[] AS f", [
      numberArrayLiteral(ints, (v) => v),
      numberArrayLiteral(floats, (v) => v),
    ]);
    assert.deepEqual(rows[0]!.i, ints.map((v) => (v === null ? null : String(v))));
    assert.deepEqual(rows[0]!.f, floats);
  } finally {
    await client.end();
  }
});
