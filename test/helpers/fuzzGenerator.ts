import { GENERATED_BODY_ROUTES, ID_ROUTES, q, QUERY_ROUTES } from './fuzzInputs.js';
import type { FuzzCase } from './rawHttp.js';

/**
 * Generated inputs for the API fuzz test (test/integration/apiFuzz.int.test.ts): JSON bodies of
 * random shapes, searchCriteria with random bracket paths, Lucene-looking queries and odd ids,
 * from a seeded generator so every failure reproduces.
 */

/** mulberry32: tiny, seeded, good enough to pick fuzz inputs reproducibly. */
function makeRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

const ATOMS: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  2 ** 53,
  -(2 ** 63),
  '',
  ' ',
  'x',
  '../',
  '%2e%2e',
  "' OR 1=1 --",
  '\u0000',
  '\u202e',
  '💥',
  'a'.repeat(2000),
  'sales.order.created',
  'http://127.0.0.1/',
  'http://169.254.169.254/latest/meta-data/',
  'event.failover.deadletter',
  [],
  {},
];
const KEYS = [
  'asyncEvent',
  'event_name',
  'eventName',
  'recipient_url',
  'verification_token',
  'metadata',
  'store_id',
  'status',
  'controls',
  'max_in_flight',
  'rate_limit_per_second',
  'log_id',
  'q',
  'limit',
  'dryRun',
  'resolve',
  'queue',
  'message_ids',
  'all',
  '__proto__',
  'constructor',
  'zzz',
];

function generateValue(random: () => number, depth: number): unknown {
  const pick = random();
  if (depth < 3 && pick < 0.25) {
    const entries = Math.floor(random() * 4);
    const value: Record<string, unknown> = {};
    for (let index = 0; index < entries; index += 1) {
      value[KEYS[Math.floor(random() * KEYS.length)] ?? 'x'] = generateValue(random, depth + 1);
    }
    return value;
  }
  if (depth < 3 && pick < 0.35) {
    return Array.from({ length: Math.floor(random() * 3) }, () => generateValue(random, depth + 1));
  }
  return ATOMS[Math.floor(random() * ATOMS.length)];
}

const CRITERIA_SEGMENTS = [
  'filter_groups',
  'filters',
  'sort_orders',
  '0',
  '1',
  '25',
  '',
  'field',
  'value',
  'condition_type',
  'direction',
  'page_size',
  'current_page',
  '__proto__',
  'length',
];
const CRITERIA_VALUES = [
  'event_name',
  'status',
  'in',
  'like',
  'eq',
  'null',
  'ASC',
  '1',
  '-1',
  '',
  "'",
  '%',
  '💥',
  '1,2,',
];

const LUCENE_FIELDS = [
  '',
  'event_name:',
  'uuid:',
  'log_id:',
  'success:',
  'created:',
  'store_id:',
  'subscription_id:',
  'response_data:',
  'data:',
  'data.data.id:',
  'data.data.items.sku:',
  'data.data.a.b.c.d.e.f.g:',
  'verification_token:',
  'unknown_field:',
  '-event_name:',
  '+success:',
  '_exists_:',
];
const LUCENE_VALUES = [
  'x',
  '*',
  '?',
  'sales.*',
  '*.created',
  'true',
  'false',
  '0',
  '-1',
  '1.5',
  '99999999999999999999',
  'now',
  'now-1d/d',
  'now+1x',
  '2026-11-23',
  '2026-13-45',
  '"a phrase"',
  '"unterminated',
  '\\"',
  "'",
  '%',
  '_',
  '[1 TO 5]',
  '{* TO now}',
  '[now-1d TO now]',
  '[a TO z]',
  '[2026-01-01 TO garbage]',
  '[1 TO',
  '(a OR b)',
  '(',
  ')',
  '💥',
  '\\*',
  'a\\:b',
];
const LUCENE_JOINERS = [' ', ' AND ', ' OR ', ' NOT ', ' AND NOT ', ' && ', ' || ', ' !', ''];

/** A Lucene-looking query of a few random clauses, often valid, sometimes not. */
function randomLucene(random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const clauses = Math.floor(random() * 4) + 1;
  let query = '';
  for (let clause = 0; clause < clauses; clause += 1) {
    const term = `${pick(LUCENE_FIELDS)}${pick(LUCENE_VALUES)}`;
    query += `${clause === 0 ? '' : pick(LUCENE_JOINERS)}${random() < 0.15 ? `(${term})` : term}`;
  }
  return query;
}

/** A few `searchCriteria[...]...=value` pairs with random bracket paths, in Magento's PHP syntax. */
function randomCriteria(random: () => number): string {
  const pairs = Math.floor(random() * 6) + 1;
  const parts: string[] = [];
  for (let pair = 0; pair < pairs; pair += 1) {
    const depth = Math.floor(random() * 6);
    let key = 'searchCriteria';
    for (let level = 0; level < depth; level += 1) {
      key += `[${CRITERIA_SEGMENTS[Math.floor(random() * CRITERIA_SEGMENTS.length)] ?? ''}]`;
    }
    const value = CRITERIA_VALUES[Math.floor(random() * CRITERIA_VALUES.length)] ?? '';
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  }
  return parts.join('&');
}

export function generateCases(seed: number, count: number): FuzzCase[] {
  const random = makeRandom(seed);
  const cases: FuzzCase[] = [];
  for (let index = 0; index < count; index += 1) {
    const kind = random();
    if (kind < 0.5) {
      // An id that does not exist: bodies are validated first, and nothing can be written.
      const route = GENERATED_BODY_ROUTES[Math.floor(random() * GENERATED_BODY_ROUTES.length)];
      const value = generateValue(random, 0);
      let body = JSON.stringify(value) ?? 'null';
      if (random() < 0.15) {
        // Cut it short: malformed JSON of a plausible shape.
        body = body.slice(0, Math.floor(random() * body.length));
      }
      cases.push({
        name: `generated #${index}`,
        method: route?.method ?? 'POST',
        path: route?.path ?? '/',
        body,
      });
    } else if (kind < 0.65) {
      cases.push({
        name: `generated #${index}`,
        method: 'GET',
        path: `/V1/async_events?${randomCriteria(random)}`,
      });
    } else if (kind < 0.8) {
      const lucene = randomLucene(random);
      cases.push(
        random() < 0.7
          ? { name: `generated #${index}`, method: 'GET', path: q(lucene) }
          : {
              name: `generated #${index}`,
              method: 'POST',
              path: '/V1/async_event_logs/replay',
              body: JSON.stringify({ q: lucene, dryRun: true }),
            },
      );
    } else if (kind < 0.9) {
      const atom = generateValue(random, 3);
      const text = typeof atom === 'string' ? atom : (JSON.stringify(atom) ?? '');
      const route = QUERY_ROUTES[Math.floor(random() * QUERY_ROUTES.length)] ?? QUERY_ROUTES[0];
      cases.push({ name: `generated #${index}`, method: 'GET', path: route?.(text) ?? '/' });
    } else {
      const atom = generateValue(random, 3);
      const text = encodeURIComponent(typeof atom === 'string' ? atom : (JSON.stringify(atom) ?? '')) || 'x';
      const route = ID_ROUTES[Math.floor(random() * ID_ROUTES.length)] ?? ID_ROUTES[0];
      cases.push({ name: `generated #${index}`, ...(route?.(text) ?? { method: 'GET', path: '/' }) });
    }
  }
  return cases;
}
