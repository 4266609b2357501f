import { describe, expect, it } from 'vitest';

import { subscriptionListParams } from './searchCriteria.js';

describe('subscriptionListParams', () => {
  it('asks for one page, newest first', () => {
    expect(Object.fromEntries(subscriptionListParams({ page: 2, pageSize: 50 }))).toEqual({
      'searchCriteria[sort_orders][0][field]': 'subscription_id',
      'searchCriteria[sort_orders][0][direction]': 'DESC',
      'searchCriteria[page_size]': '50',
      'searchCriteria[current_page]': '2',
    });
  });

  it('filters on event names containing the text, with wildcards of the user escaped', () => {
    const params = subscriptionListParams({ page: 1, pageSize: 20, eventContains: ' 100%_sales ' });
    expect(params.get('searchCriteria[filter_groups][0][filters][0][field]')).toBe('event_name');
    expect(params.get('searchCriteria[filter_groups][0][filters][0][value]')).toBe('%100\\%\\_sales%');
    expect(params.get('searchCriteria[filter_groups][0][filters][0][condition_type]')).toBe('like');
  });

  it('adds no filter for blank text', () => {
    expect([...subscriptionListParams({ page: 1, pageSize: 20, eventContains: '  ' }).keys()]).not.toContain(
      'searchCriteria[filter_groups][0][filters][0][field]',
    );
  });
});
