import { ApiError } from '../shared/index.js';
import { resolveDate, toSqlDateTime } from './dateMath.js';
import { resolveField, SEARCH_FIELDS, type SearchField } from './fields.js';
import type { QueryNode } from './query.js';

/**
 * Translates a parsed query into a parameterised SQL condition over the delivery log (`l`) joined
 * with its subscription (`s`), for the embedded backend. User input only ever travels in `params`;
 * identifiers and SQL text come from the field registry. Every leaf is wrapped in COALESCE so NULLs
 * (missing JSON paths) behave like Elasticsearch's "no match" under NOT as well.
 *
 * Semantics, close to Elasticsearch's for the same documents: keyword fields (uuid, event_name)
 * match whole values (`*`/`?` wildcards); response_data contains the term; data.<path> matches the
 * value at that path, also inside arrays (Elasticsearch flattens arrays of objects the same way);
 * created takes dates and date math; terms without a field search every field.
 */
export interface SqlCondition {
  sql: string;
  params: Array<string | number>;
}

// MySQL 8 raises an error on invalid JSON where MariaDB returns NULL: guard both the same way.
const RAW_DOC = SEARCH_FIELDS.find((field) => field.kind === 'json')?.sql ?? 'NULL';
const DOC = `IF(JSON_VALID(${RAW_DOC}), ${RAW_DOC}, NULL)`;
// `!` rather than a backslash: immune to the NO_BACKSLASH_ESCAPES SQL mode.
const ESCAPE = '!';
const ARRAY_INDEX = '\\[[0-9]+\\]';

function invalid(message: string, parameters: Record<string, unknown>): ApiError {
  return new ApiError('SC_ERR_INPUT', message, { parameters });
}

/** A LIKE pattern: SQL wildcards in the input escaped, Lucene wildcards turned into SQL ones. */
export function likePattern(value: string, wildcard: boolean, contains = false): string {
  const escaped = value.replace(/[!%_]/g, (char) => `${ESCAPE}${char}`);
  const pattern = wildcard ? escaped.replace(/\*/g, '%').replace(/\?/g, '_') : escaped;
  return contains ? `%${pattern}%` : pattern;
}

function wrap(condition: SqlCondition): SqlCondition {
  return { sql: `COALESCE((${condition.sql}), 0)`, params: condition.params };
}

function integerValue(field: string, value: string): number {
  if (!/^-?\d{1,15}$/.test(value)) {
    throw invalid('"%field" takes whole numbers, not "%value".', { field, value });
  }
  return Number(value);
}

function jsonPath(path: readonly string[]): string {
  return `$.${path.join('.')}`;
}

// Characters PHP's json_encode writes as they are (no `\/`, no `\uXXXX`), so a value made of them
// appears verbatim in the stored body.
const VERBATIM_IN_JSON = /^[A-Za-z0-9@._ :+,=#-]+$/;

/**
 * A cheap necessary condition for a match inside the body: the raw text contains the value. It
 * lets MariaDB skip parsing the JSON of most rows (a 200,000-row scan: ~2 s → well under 1 s).
 * Only for values whose JSON encoding is the value itself; `_` (one character) may be an escaped
 * pair in the raw text, so it widens to `%`.
 */
function rawTextPrefilter(pattern: string): SqlCondition | undefined {
  const literal = pattern.replace(/!.|%|_/g, (token) => (token.length === 2 ? (token[1] ?? '') : ''));
  if (literal === '' || !VERBATIM_IN_JSON.test(literal)) {
    return undefined;
  }
  const widened = pattern.replace(/(!.)|_/g, (token, escaped: string | undefined) => escaped ?? '%');
  return { sql: `${RAW_DOC} LIKE ? ESCAPE '!'`, params: [`%${widened.replace(/^%|%$/g, '')}%`] };
}

function withPrefilter(condition: SqlCondition, pattern: string): SqlCondition {
  const prefilter = rawTextPrefilter(pattern);
  return prefilter === undefined
    ? condition
    : { sql: `${prefilter.sql} AND (${condition.sql})`, params: [...prefilter.params, ...condition.params] };
}

/** The value at `data.<path>`, or any string at that path inside arrays. */
function jsonMatch(path: readonly string[], pattern: string): SqlCondition {
  const last = path[path.length - 1] ?? '';
  return withPrefilter(
    {
      sql: `JSON_UNQUOTE(JSON_EXTRACT(${DOC}, ?)) LIKE ? ESCAPE '!' OR LOCATE(?, REGEXP_REPLACE(JSON_SEARCH(${DOC}, 'all', ?, '!', ?), ?, '')) > 0`,
      params: [jsonPath(path), pattern, `"${jsonPath(path)}"`, pattern, `$**.${last}`, ARRAY_INDEX],
    },
    pattern,
  );
}

function termCondition(
  field: SearchField,
  path: readonly string[],
  node: Extract<QueryNode, { kind: 'term' }>,
  name: string,
): SqlCondition {
  const { value, wildcard, phrase } = node;
  switch (field.kind) {
    case 'integer':
      return { sql: `${field.sql} = ?`, params: [integerValue(name, value)] };
    case 'keyword':
      return wildcard
        ? { sql: `${field.sql} LIKE ? ESCAPE '!'`, params: [likePattern(value, true)] }
        : { sql: `${field.sql} = ?`, params: [value] };
    case 'text':
      return { sql: `${field.sql} LIKE ? ESCAPE '!'`, params: [likePattern(value, wildcard, true)] };
    case 'boolean': {
      const truth = value.toLowerCase();
      if (!['true', 'false', '1', '0'].includes(truth)) {
        throw invalid('"%field" is true or false, not "%value".', { field: name, value });
      }
      return { sql: `${field.sql} = ?`, params: [truth === 'true' || truth === '1' ? 1 : 0] };
    }
    case 'date': {
      const day = resolveDate(value);
      return {
        sql: `${field.sql} >= ? AND ${field.sql} < ?`,
        params: [toSqlDateTime(day.start), toSqlDateTime(day.end)],
      };
    }
    case 'json':
      return path.length === 0
        ? withPrefilter(
            {
              sql: `JSON_SEARCH(${DOC}, 'one', ?, '!') IS NOT NULL`,
              params: [likePattern(value, wildcard, true)],
            },
            likePattern(value, wildcard, true),
          )
        : jsonMatch(path, likePattern(value, wildcard, phrase));
  }
}

/** A term without a field: any of the searchable text of a delivery. */
function anyFieldCondition(node: Extract<QueryNode, { kind: 'term' }>): SqlCondition {
  const whole = node.wildcard ? likePattern(node.value, true) : likePattern(node.value, false);
  const contains = likePattern(node.value, node.wildcard, true);
  return {
    sql: `s.event_name LIKE ? ESCAPE '!' OR l.uuid LIKE ? ESCAPE '!' OR l.response_data LIKE ? ESCAPE '!' OR JSON_SEARCH(${DOC}, 'one', ?, '!') IS NOT NULL`,
    params: [whole, whole, contains, contains],
  };
}

function rangeCondition(node: Extract<QueryNode, { kind: 'range' }>): SqlCondition {
  const { field, path } = resolveField(node.field);
  const parts: string[] = [];
  const params: Array<string | number> = [];
  const add = (
    operator: string,
    value: string | number,
    expression: string,
    extra: Array<string | number> = [],
  ) => {
    parts.push(`${expression} ${operator} ?`);
    params.push(...extra, value);
  };
  if (field.kind === 'boolean') {
    throw invalid('"%field" cannot take a range.', { field: node.field });
  }
  if (field.kind === 'date') {
    if (node.min !== undefined) {
      const min = resolveDate(node.min);
      add('>=', toSqlDateTime(node.minInclusive ? min.start : min.end), field.sql);
    }
    if (node.max !== undefined) {
      const max = resolveDate(node.max);
      add('<', toSqlDateTime(node.maxInclusive ? max.end : max.start), field.sql);
    }
  } else {
    const numeric = (value: string | undefined) => value === undefined || /^-?\d+(\.\d+)?$/.test(value);
    const isNumeric = field.kind === 'integer' || (numeric(node.min) && numeric(node.max));
    let expression = field.sql;
    let extra: Array<string | number> = [];
    if (field.kind === 'json') {
      if (path.length === 0) {
        throw invalid('A range on "data" needs a path, e.g. data.data.grand_total:[100 TO *].', {});
      }
      expression = isNumeric
        ? `CAST(JSON_UNQUOTE(JSON_EXTRACT(${DOC}, ?)) AS DECIMAL(38,10))`
        : `JSON_UNQUOTE(JSON_EXTRACT(${DOC}, ?))`;
      extra = [jsonPath(path)];
    }
    const value = (raw: string) =>
      field.kind === 'integer' ? integerValue(node.field, raw) : isNumeric ? Number(raw) : raw;
    if (node.min !== undefined) {
      add(node.minInclusive ? '>=' : '>', value(node.min), expression, extra);
    }
    if (node.max !== undefined) {
      add(node.maxInclusive ? '<=' : '<', value(node.max), expression, extra);
    }
  }
  return { sql: parts.length === 0 ? '1' : parts.join(' AND '), params };
}

export function queryToSql(node: QueryNode): SqlCondition {
  switch (node.kind) {
    case 'all':
      return { sql: '1', params: [] };
    case 'and':
    case 'or': {
      const children = node.children.map(queryToSql);
      return {
        sql: `(${children.map((child) => child.sql).join(node.kind === 'and' ? ' AND ' : ' OR ')})`,
        params: children.flatMap((child) => child.params),
      };
    }
    case 'not': {
      const child = queryToSql(node.child);
      return { sql: `NOT ${child.sql}`, params: child.params };
    }
    case 'term': {
      if (node.field === undefined) {
        return wrap(anyFieldCondition(node));
      }
      const { field, path } = resolveField(node.field);
      return wrap(termCondition(field, path, node, node.field));
    }
    case 'range':
      return wrap(rangeCondition(node));
  }
}
