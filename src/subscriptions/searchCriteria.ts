import { ApiError } from '../shared/index.js';

/**
 * Magento's `searchCriteria` query syntax, as `GET /V1/async_events` accepts it:
 * `searchCriteria[filter_groups][0][filters][0][field]=event_name&…[value]=x&…[condition_type]=eq`,
 * `searchCriteria[sort_orders][0][field]=subscription_id&…[direction]=DESC`,
 * `searchCriteria[page_size]=20&searchCriteria[current_page]=2`; camelCase keys work too, as in
 * Magento. Filters of one group are OR'ed, groups are AND'ed.
 */
export const CONDITION_TYPES = [
  'eq',
  'neq',
  'like',
  'in',
  'nin',
  'gt',
  'gteq',
  'lt',
  'lteq',
  'null',
  'notnull',
] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];

export interface Filter {
  field: string;
  value: string;
  conditionType: ConditionType;
}

export interface SearchCriteria {
  filterGroups: Array<{ filters: Filter[] }>;
  sortOrders: Array<{ field: string; direction: 'ASC' | 'DESC' }>;
  pageSize: number | undefined;
  currentPage: number;
}

const MAX_FILTERS = 50;
const MAX_PAGE_SIZE = 1000;

type Node = unknown;

/** Reads a key in snake_case or camelCase (Magento accepts both). */
function member(node: Node, snake: string): Node {
  if (typeof node !== 'object' || node === null) {
    return undefined;
  }
  const record = node as Record<string, unknown>;
  const camel = snake.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
  return record[snake] ?? record[camel];
}

/** qs gives an array, or an object with numeric keys past its array limit: both are lists here. */
function list(node: Node, what: string): Node[] {
  if (node === undefined) {
    return [];
  }
  if (Array.isArray(node)) {
    return node;
  }
  if (typeof node === 'object' && node !== null && Object.keys(node).every((key) => /^\d+$/.test(key))) {
    return Object.entries(node as Record<string, unknown>)
      .sort(([left], [right]) => Number(left) - Number(right))
      .map(([, value]) => value);
  }
  throw invalid(`${what} must be a list`, { fieldName: what });
}

function text(node: Node, what: string): string {
  if (typeof node === 'string') {
    return node;
  }
  if (node === undefined) {
    throw invalid('"%fieldName" is required. Enter and try again.', { fieldName: what });
  }
  throw invalid('"%fieldName" must be a single value.', { fieldName: what });
}

function positiveInt(node: Node, what: string, max: number): number {
  const value = text(node, what);
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw invalid(`"%fieldName" must be a whole number from 1 to ${max}.`, { fieldName: what });
  }
  return Number(value);
}

function invalid(message: string, parameters: Record<string, unknown>): ApiError {
  return new ApiError('SC_ERR_INPUT', message, { parameters });
}

/**
 * Parses the `searchCriteria` object of a query string (as express' extended parser produces it)
 * against the fields that may be filtered and sorted on. Throws a 400 `ApiError` naming the problem.
 */
export function parseSearchCriteria(raw: Node, fields: ReadonlySet<string>): SearchCriteria {
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
    throw invalid(
      '"%fieldName" must be an object of filter_groups, sort_orders, page_size and current_page.',
      {
        fieldName: 'searchCriteria',
      },
    );
  }
  const knownField = (value: string, what: string): string => {
    if (!fields.has(value)) {
      throw invalid(`"%field" cannot be searched; use one of ${[...fields].join(', ')}.`, {
        field: value,
        fieldName: what,
      });
    }
    return value;
  };
  let filterCount = 0;
  const filterGroups = list(member(raw, 'filter_groups'), 'filter_groups').map((group, groupIndex) => ({
    filters: list(member(group, 'filters'), `filter_groups[${groupIndex}][filters]`).map((filter, index) => {
      filterCount += 1;
      if (filterCount > MAX_FILTERS) {
        throw invalid(`At most ${MAX_FILTERS} filters are allowed.`, {});
      }
      const path = `filter_groups[${groupIndex}][filters][${index}]`;
      const conditionNode = member(filter, 'condition_type');
      const conditionType =
        conditionNode === undefined ? 'eq' : text(conditionNode, `${path}[condition_type]`);
      if (!(CONDITION_TYPES as readonly string[]).includes(conditionType)) {
        throw invalid(
          `"%conditionType" is not a supported condition; use one of ${CONDITION_TYPES.join(', ')}.`,
          {
            conditionType,
          },
        );
      }
      const valueNode = member(filter, 'value');
      return {
        field: knownField(text(member(filter, 'field'), `${path}[field]`), `${path}[field]`),
        value:
          valueNode === undefined && (conditionType === 'null' || conditionType === 'notnull')
            ? ''
            : text(valueNode, `${path}[value]`),
        conditionType: conditionType as ConditionType,
      };
    }),
  }));
  const sortOrders = list(member(raw, 'sort_orders'), 'sort_orders').map((order, index) => {
    const directionNode = member(order, 'direction');
    const given =
      directionNode === undefined
        ? 'ASC'
        : text(directionNode, `sort_orders[${index}][direction]`).toUpperCase();
    if (given !== 'ASC' && given !== 'DESC') {
      throw invalid('"%direction" is not a sort direction; use ASC or DESC.', { direction: given });
    }
    const direction: 'ASC' | 'DESC' = given === 'DESC' ? 'DESC' : 'ASC';
    return {
      field: knownField(
        text(member(order, 'field'), `sort_orders[${index}][field]`),
        `sort_orders[${index}][field]`,
      ),
      direction,
    };
  });
  const pageSizeNode = member(raw, 'page_size');
  const currentPageNode = member(raw, 'current_page');
  return {
    filterGroups,
    sortOrders,
    pageSize: pageSizeNode === undefined ? undefined : positiveInt(pageSizeNode, 'page_size', MAX_PAGE_SIZE),
    currentPage: currentPageNode === undefined ? 1 : positiveInt(currentPageNode, 'current_page', 1_000_000),
  };
}

/** The criteria as Magento echoes them in `search_criteria`. */
export function echoSearchCriteria(criteria: SearchCriteria): Record<string, unknown> {
  return {
    filter_groups: criteria.filterGroups.map((group) => ({
      filters: group.filters.map((filter) => ({
        field: filter.field,
        value: filter.value,
        condition_type: filter.conditionType,
      })),
    })),
    ...(criteria.sortOrders.length > 0 ? { sort_orders: criteria.sortOrders } : {}),
    ...(criteria.pageSize === undefined ? {} : { page_size: criteria.pageSize }),
    current_page: criteria.currentPage,
  };
}

export const SEARCH_LIMITS = { maxFilters: MAX_FILTERS, maxPageSize: MAX_PAGE_SIZE } as const;
