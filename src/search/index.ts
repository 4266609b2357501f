export { resolveDate, type ResolvedDate, toSqlDateTime } from './dateMath.js';
export { makeEmbeddedSearch } from './embeddedSearch.js';
export { resolveField, SEARCH_FIELDS, type SearchField } from './fields.js';
export { parseQuery, QUERY_LIMITS, type QueryNode } from './query.js';
export type { SearchBackend, SearchMaintenance, SearchOptions, SearchPage } from './searchBackend.js';
export { likePattern, queryToSql, type SqlCondition } from './sqlTranslator.js';
