/**
 * Query parameters of Magento's searchCriteria (PHP bracket syntax) for the subscription list:
 * newest first, one page, optionally only events whose name contains some text.
 */
export function subscriptionListParams(options: {
  page: number;
  pageSize: number;
  eventContains?: string;
}): URLSearchParams {
  const params = new URLSearchParams();
  const contains = options.eventContains?.trim() ?? '';
  if (contains !== '') {
    const filter = 'searchCriteria[filter_groups][0][filters][0]';
    params.set(`${filter}[field]`, 'event_name');
    // `like` takes SQL wildcards: the user's own % and _ are matched literally.
    params.set(`${filter}[value]`, `%${contains.replace(/[\\%_]/g, (char) => `\\${char}`)}%`);
    params.set(`${filter}[condition_type]`, 'like');
  }
  params.set('searchCriteria[sort_orders][0][field]', 'subscription_id');
  params.set('searchCriteria[sort_orders][0][direction]', 'DESC');
  params.set('searchCriteria[page_size]', String(options.pageSize));
  params.set('searchCriteria[current_page]', String(options.page));
  return params;
}
