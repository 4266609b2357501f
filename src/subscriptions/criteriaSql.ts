import type { Filter, SearchCriteria } from './searchCriteria.js';

/** A parameterised SQL fragment: user input only ever travels in `params`. */
export interface SqlFragment {
  sql: string;
  params: Array<string | number>;
}

/** One searchable field: its column (a fixed identifier from code, never from input). */
export interface FieldColumn {
  column: string;
  /** Turns the filter's text into what the column compares with (e.g. booleans for `status`). */
  cast?: (value: string) => string | number;
}

function condition(filter: Filter, field: FieldColumn): SqlFragment {
  const column = field.column;
  const cast = field.cast ?? ((value: string) => value);
  switch (filter.conditionType) {
    case 'eq':
      return { sql: `${column} = ?`, params: [cast(filter.value)] };
    case 'neq':
      return { sql: `${column} <> ?`, params: [cast(filter.value)] };
    case 'like':
      return { sql: `${column} LIKE ?`, params: [filter.value] };
    case 'gt':
      return { sql: `${column} > ?`, params: [cast(filter.value)] };
    case 'gteq':
      return { sql: `${column} >= ?`, params: [cast(filter.value)] };
    case 'lt':
      return { sql: `${column} < ?`, params: [cast(filter.value)] };
    case 'lteq':
      return { sql: `${column} <= ?`, params: [cast(filter.value)] };
    case 'null':
      return { sql: `${column} IS NULL`, params: [] };
    case 'notnull':
      return { sql: `${column} IS NOT NULL`, params: [] };
    case 'in':
    case 'nin': {
      const values = filter.value.split(',').map((value) => cast(value.trim()));
      const placeholders = values.map(() => '?').join(', ');
      return {
        sql: `${column} ${filter.conditionType === 'in' ? 'IN' : 'NOT IN'} (${placeholders})`,
        params: values,
      };
    }
  }
}

/**
 * WHERE / ORDER BY / LIMIT for parsed criteria over a whitelist of columns: filters of a group OR'ed,
 * groups AND'ed, Magento's paging (current_page starts at 1).
 */
export function criteriaToSql(
  criteria: SearchCriteria,
  fields: ReadonlyMap<string, FieldColumn>,
  defaultOrder: string,
): {
  where: SqlFragment;
  orderBy: string;
  limit: SqlFragment;
} {
  const clauses: string[] = [];
  const params: Array<string | number> = [];
  for (const group of criteria.filterGroups) {
    if (group.filters.length === 0) {
      continue;
    }
    const parts = group.filters.map((filter) => {
      const field = fields.get(filter.field);
      if (field === undefined) {
        throw new Error(`Unchecked field ${filter.field}`);
      }
      const fragment = condition(filter, field);
      params.push(...fragment.params);
      return fragment.sql;
    });
    clauses.push(`(${parts.join(' OR ')})`);
  }
  const orderBy = criteria.sortOrders
    .map((order) => `${fields.get(order.field)?.column ?? defaultOrder} ${order.direction}`)
    .concat(defaultOrder)
    .join(', ');
  const limit: SqlFragment =
    criteria.pageSize === undefined
      ? { sql: '', params: [] }
      : {
          sql: 'LIMIT ? OFFSET ?',
          params: [criteria.pageSize, (criteria.currentPage - 1) * criteria.pageSize],
        };
  return {
    where: { sql: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`, params },
    orderBy,
    limit,
  };
}
