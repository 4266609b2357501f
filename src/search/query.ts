import lucene, {
  type LuceneBinaryNode,
  type LuceneNode,
  type LuceneRangeNode,
  type LuceneTermNode,
} from 'lucene';

import { ApiError } from '../shared/index.js';

/**
 * A Lucene query (the syntax upstream's admin search and Elasticsearch's `query_string` take),
 * parsed with the `lucene` package and checked into a small tree the backends translate.
 * Limits keep a hostile query cheap: length, clause count, nesting depth, term length.
 */
export type QueryNode =
  | { kind: 'and' | 'or'; children: QueryNode[] }
  | { kind: 'not'; child: QueryNode }
  | { kind: 'term'; field: string | undefined; value: string; wildcard: boolean; phrase: boolean }
  | {
      kind: 'range';
      field: string;
      min: string | undefined;
      max: string | undefined;
      minInclusive: boolean;
      maxInclusive: boolean;
    }
  | { kind: 'all' };

export const QUERY_LIMITS = { maxLength: 2000, maxClauses: 64, maxDepth: 16, maxTermLength: 256 } as const;

const IMPLICIT = '<implicit>';

function invalid(message: string, parameters: Record<string, unknown> = {}): ApiError {
  return new ApiError('SC_ERR_INPUT', message, { parameters });
}

/** Parses `q`; an empty query matches everything. Throws a 400 ApiError naming what is wrong. */
export function parseQuery(q: string): QueryNode {
  const query = q.trim();
  if (query === '' || query === '*' || query === '*:*') {
    return { kind: 'all' };
  }
  if (query.length > QUERY_LIMITS.maxLength) {
    throw invalid('The query is longer than %max characters.', { max: QUERY_LIMITS.maxLength });
  }
  let ast: LuceneBinaryNode;
  try {
    ast = lucene.parse(query);
  } catch (error: unknown) {
    throw invalid('The query is not valid Lucene syntax: %reason', {
      reason: error instanceof Error ? error.message : String(error),
    });
  }
  const budget = { clauses: 0 };
  return convert(ast, 0, budget);
}

function isTerm(node: LuceneNode): node is LuceneTermNode {
  return 'term' in node;
}

function isRange(node: LuceneNode): node is LuceneRangeNode {
  return 'term_min' in node;
}

function convert(node: LuceneNode, depth: number, budget: { clauses: number }): QueryNode {
  if (depth > QUERY_LIMITS.maxDepth) {
    throw invalid('The query nests deeper than %max levels.', { max: QUERY_LIMITS.maxDepth });
  }
  if (isTerm(node)) {
    return leaf(convertTerm(node), budget);
  }
  if (isRange(node)) {
    return leaf(convertRange(node), budget);
  }
  const binary = node;
  let left = convert(binary.left, depth + 1, budget);
  if (binary.start === 'NOT') {
    left = { kind: 'not', child: left };
  }
  if (binary.right === undefined) {
    return left;
  }
  const right = convert(binary.right, depth + 1, budget);
  switch (binary.operator) {
    case 'AND':
      return { kind: 'and', children: [left, right] };
    case 'AND NOT':
      return { kind: 'and', children: [left, { kind: 'not', child: right }] };
    case 'OR NOT':
      return { kind: 'or', children: [left, { kind: 'not', child: right }] };
    case 'NOT':
      return { kind: 'and', children: [left, { kind: 'not', child: right }] };
    default:
      // OR and juxtaposition: Elasticsearch's query_string default operator is OR.
      return { kind: 'or', children: [left, right] };
  }
}

function leaf(node: QueryNode, budget: { clauses: number }): QueryNode {
  budget.clauses += 1;
  if (budget.clauses > QUERY_LIMITS.maxClauses) {
    throw invalid('The query has more than %max clauses.', { max: QUERY_LIMITS.maxClauses });
  }
  return node;
}

/** `-field:x` / `+field:x` come back from the parser with the sign in the field name. */
function signedField(rawField: string): { field: string | undefined; negated: boolean } {
  const negated = rawField.startsWith('-');
  const field = rawField.replace(/^[-+]/, '');
  return { field: field === IMPLICIT || field === '' ? undefined : field, negated };
}

function convertTerm(node: LuceneTermNode): QueryNode {
  if (node.regex) {
    throw invalid('Regular expressions (/…/) are not supported in queries.');
  }
  if (node.similarity !== null && node.similarity !== undefined) {
    throw invalid('Fuzzy terms (term~) are not supported in queries.');
  }
  if (node.proximity !== null && node.proximity !== undefined) {
    throw invalid('Proximity searches ("…"~N) are not supported in queries.');
  }
  if (node.term.length > QUERY_LIMITS.maxTermLength) {
    throw invalid('A query term is longer than %max characters.', { max: QUERY_LIMITS.maxTermLength });
  }
  const { field, negated } = signedField(node.field);
  const value = node.quoted ? node.term : node.term.replace(/\\(.)/g, '$1');
  const term: QueryNode = {
    kind: 'term',
    field,
    value,
    wildcard: !node.quoted && /[*?]/.test(node.term),
    phrase: node.quoted,
  };
  return negated || node.prefix === '-' ? { kind: 'not', child: term } : term;
}

function convertRange(node: LuceneRangeNode): QueryNode {
  const { field, negated } = signedField(node.field);
  if (field === undefined) {
    throw invalid('A range needs a field, e.g. created:[2026-01-01 TO now].');
  }
  const bound = (value: string) => (value === '*' ? undefined : value);
  const range: QueryNode = {
    kind: 'range',
    field,
    min: bound(node.term_min),
    max: bound(node.term_max),
    minInclusive: node.inclusive === 'both' || node.inclusive === 'left',
    maxInclusive: node.inclusive === 'both' || node.inclusive === 'right',
  };
  return negated ? { kind: 'not', child: range } : range;
}
