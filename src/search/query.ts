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

type Occur = 'should' | 'must' | 'must_not';
interface Clause {
  node: QueryNode;
  occur: Occur;
}

/**
 * Lucene's boolean semantics, as Elasticsearch's query_string applies them: within one level
 * (no parentheses), `AND` makes both sides required, `NOT`/`-` prohibits a clause, `+` requires
 * it, and the rest are optional of which at least one must match when nothing is required.
 */
function convert(node: LuceneNode, depth: number, budget: { clauses: number }): QueryNode {
  if (depth > QUERY_LIMITS.maxDepth) {
    throw invalid('The query nests deeper than %max levels.', { max: QUERY_LIMITS.maxDepth });
  }
  const clauses = flatten(node, depth, budget);
  const must = clauses.filter((clause) => clause.occur === 'must').map((clause) => clause.node);
  const mustNot = clauses
    .filter((clause) => clause.occur === 'must_not')
    .map((clause): QueryNode => ({ kind: 'not', child: clause.node }));
  const should = clauses.filter((clause) => clause.occur === 'should').map((clause) => clause.node);
  const parts = [...must, ...mustNot];
  if (must.length === 0 && should.length > 0) {
    parts.push(should.length === 1 ? (should[0] as QueryNode) : { kind: 'or', children: should });
  }
  return parts.length === 1 ? (parts[0] as QueryNode) : { kind: 'and', children: parts };
}

/** The clauses of one level: a chain of binary nodes the parser nests to the right. */
function flatten(node: LuceneNode, depth: number, budget: { clauses: number }): Clause[] {
  if (isTerm(node) || isRange(node)) {
    return [leafClause(node, budget)];
  }
  if (node.left === undefined) {
    // `AND` or `NOT` alone parse to a bare operator; Elasticsearch refuses them too.
    throw invalid('The query has an operator without a term: %operator', {
      operator: node.operator ?? node.start ?? '',
    });
  }
  const first = clauseOf(node.left, depth, budget);
  if (node.start === 'NOT') {
    first.occur = 'must_not';
  }
  if (node.right === undefined) {
    return [first];
  }
  // The right side continues this level unless it is parenthesized (then it is one clause).
  const rest =
    !isTerm(node.right) && !isRange(node.right) && node.right.parenthesized !== true
      ? flatten(node.right, depth, budget)
      : [clauseOf(node.right, depth, budget)];
  const [next] = rest;
  switch (node.operator) {
    case 'AND':
      promote(first);
      if (next !== undefined) {
        promote(next);
      }
      break;
    case 'AND NOT':
      promote(first);
      if (next !== undefined) {
        next.occur = 'must_not';
      }
      break;
    case 'NOT':
    case 'OR NOT':
      if (next !== undefined) {
        next.occur = 'must_not';
      }
      break;
    default:
      break; // OR and juxtaposition leave clauses optional
  }
  return [first, ...rest];
}

function promote(clause: Clause): void {
  if (clause.occur === 'should') {
    clause.occur = 'must';
  }
}

/** One clause: a leaf, or a parenthesized group converted on its own. */
function clauseOf(node: LuceneNode, depth: number, budget: { clauses: number }): Clause {
  if (isTerm(node) || isRange(node)) {
    return leafClause(node, budget);
  }
  if (node.parenthesized === true) {
    const group = convert(node, depth + 1, budget);
    const sign =
      node.field?.startsWith('-') === true
        ? 'must_not'
        : node.field?.startsWith('+') === true
          ? 'must'
          : 'should';
    return { node: group, occur: sign };
  }
  // A non-parenthesized group on the left cannot come from the parser; convert it as one clause.
  return { node: convert(node, depth, budget), occur: 'should' };
}

function leafClause(node: LuceneTermNode | LuceneRangeNode, budget: { clauses: number }): Clause {
  const sign =
    node.field.startsWith('-') || ('prefix' in node && node.prefix === '-')
      ? 'must_not'
      : node.field.startsWith('+') || ('prefix' in node && node.prefix === '+')
        ? 'must'
        : 'should';
  return { node: leaf(isTerm(node) ? convertTerm(node) : convertRange(node), budget), occur: sign };
}

function leaf(node: QueryNode, budget: { clauses: number }): QueryNode {
  budget.clauses += 1;
  if (budget.clauses > QUERY_LIMITS.maxClauses) {
    throw invalid('The query has more than %max clauses.', { max: QUERY_LIMITS.maxClauses });
  }
  return node;
}

/** `-field:x` / `+field:x` come back from the parser with the sign in the field name. */
function signedField(rawField: string): { field: string | undefined } {
  const field = rawField.replace(/^[-+]/, '');
  return { field: field === IMPLICIT || field === '' ? undefined : field };
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
  const { field } = signedField(node.field);
  const value = node.quoted ? node.term : node.term.replace(/\\(.)/g, '$1');
  const term: QueryNode = {
    kind: 'term',
    field,
    value,
    wildcard: !node.quoted && /[*?]/.test(node.term),
    phrase: node.quoted,
  };
  return term;
}

function convertRange(node: LuceneRangeNode): QueryNode {
  const { field } = signedField(node.field);
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
  return range;
}
