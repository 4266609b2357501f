import { describe, expect, it } from 'vitest';

import { criteriaToSql, type FieldColumn } from './criteriaSql.js';
import { echoSearchCriteria, parseSearchCriteria } from './searchCriteria.js';

const FIELDS = new Set(['event_name', 'store_id', 'status']);
const COLUMNS = new Map<string, FieldColumn>([
  ['event_name', { column: 'event_name' }],
  ['store_id', { column: 'store_id', cast: Number }],
  ['status', { column: 'status', cast: (value) => (value === 'true' ? 1 : 0) }],
]);

describe('parseSearchCriteria', () => {
  it('reads snake_case and camelCase, lists and numeric-key objects', () => {
    const criteria = parseSearchCriteria(
      {
        filterGroups: { 0: { filters: [{ field: 'event_name', value: 'a', conditionType: 'like' }] } },
        sort_orders: [{ field: 'store_id', direction: 'desc' }],
        pageSize: '10',
        current_page: '3',
      },
      FIELDS,
    );
    expect(criteria).toEqual({
      filterGroups: [{ filters: [{ field: 'event_name', value: 'a', conditionType: 'like' }] }],
      sortOrders: [{ field: 'store_id', direction: 'DESC' }],
      pageSize: 10,
      currentPage: 3,
    });
    expect(echoSearchCriteria(criteria)).toEqual({
      filter_groups: [{ filters: [{ field: 'event_name', value: 'a', condition_type: 'like' }] }],
      sort_orders: [{ field: 'store_id', direction: 'DESC' }],
      page_size: 10,
      current_page: 3,
    });
  });

  it('defaults to eq, page 1 and no page size', () => {
    expect(parseSearchCriteria(undefined, FIELDS)).toEqual({
      filterGroups: [],
      sortOrders: [],
      pageSize: undefined,
      currentPage: 1,
    });
    expect(
      parseSearchCriteria({ filter_groups: [{ filters: [{ field: 'status', value: 'true' }] }] }, FIELDS)
        .filterGroups[0]?.filters[0]?.conditionType,
    ).toBe('eq');
  });

  it.each([
    [{ filter_groups: [{ filters: [{ field: 'verification_token', value: 'x' }] }] }, /cannot be searched/],
    [
      { filter_groups: [{ filters: [{ field: 'event_name', value: 'x', condition_type: 'finset' }] }] },
      /not a supported condition/,
    ],
    [{ filter_groups: [{ filters: [{ field: 'event_name' }] }] }, /is required/],
    [
      { filter_groups: [{ filters: [{ field: 'event_name', value: ['a', 'b'] }] }] },
      /must be a single value/,
    ],
    [{ filter_groups: 'x' }, /must be a list/],
    [{ sort_orders: [{ field: 'event_name', direction: 'UP' }] }, /not a sort direction/],
    [{ page_size: '0' }, /from 1 to 1000/],
    [{ page_size: '1001' }, /from 1 to 1000/],
    [{ current_page: '-1' }, /whole number/],
    ['text', /must be an object/],
  ])('refuses %j', (raw, message) => {
    expect(() => parseSearchCriteria(raw, FIELDS)).toThrow(message);
  });

  it('caps the number of filters', () => {
    const filters = Array.from({ length: 51 }, () => ({ field: 'event_name', value: 'x' }));
    expect(() => parseSearchCriteria({ filter_groups: [{ filters }] }, FIELDS)).toThrow(/At most 50 filters/);
  });
});

describe('criteriaToSql', () => {
  it('ORs within a group, ANDs groups, keeps values in parameters and pages', () => {
    const criteria = parseSearchCriteria(
      {
        filter_groups: [
          {
            filters: [
              { field: 'event_name', value: "x' OR 1=1 --", condition_type: 'eq' },
              { field: 'event_name', value: 'a%', condition_type: 'like' },
            ],
          },
          { filters: [{ field: 'store_id', value: '1, 2', condition_type: 'in' }] },
          { filters: [{ field: 'status', condition_type: 'notnull' }] },
        ],
        sort_orders: [{ field: 'store_id', direction: 'DESC' }],
        page_size: '20',
        current_page: '2',
      },
      FIELDS,
    );
    expect(criteriaToSql(criteria, COLUMNS, 'subscription_id ASC')).toEqual({
      where: {
        sql: 'WHERE (event_name = ? OR event_name LIKE ?) AND (store_id IN (?, ?)) AND (status IS NOT NULL)',
        params: ["x' OR 1=1 --", 'a%', 1, 2],
      },
      orderBy: 'store_id DESC, subscription_id ASC',
      limit: { sql: 'LIMIT ? OFFSET ?', params: [20, 20] },
    });
  });

  it('writes every condition type', () => {
    const sqlFor = (condition_type: string, value = '5') =>
      criteriaToSql(
        parseSearchCriteria(
          { filter_groups: [{ filters: [{ field: 'store_id', value, condition_type }] }] },
          FIELDS,
        ),
        COLUMNS,
        'x',
      ).where.sql;
    expect(['neq', 'gt', 'gteq', 'lt', 'lteq', 'null', 'nin'].map((condition) => sqlFor(condition))).toEqual([
      'WHERE (store_id <> ?)',
      'WHERE (store_id > ?)',
      'WHERE (store_id >= ?)',
      'WHERE (store_id < ?)',
      'WHERE (store_id <= ?)',
      'WHERE (store_id IS NULL)',
      'WHERE (store_id NOT IN (?))',
    ]);
  });
});
