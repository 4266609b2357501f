import { describe, expect, it } from 'vitest';

import { parseRoute, type Route, routeHash } from './route.js';

describe('parseRoute', () => {
  it('reads each view', () => {
    expect(parseRoute('#/overview')).toEqual({ view: 'overview' });
    expect(parseRoute('#/subscriptions')).toEqual({ view: 'subscriptions' });
    expect(parseRoute('#/subscriptions/12')).toEqual({ view: 'subscription', id: 12 });
    expect(parseRoute('#/deadletters')).toEqual({ view: 'deadletters' });
    expect(parseRoute('#/trace/3f2a-b1')).toEqual({ view: 'trace', uuid: '3f2a-b1' });
    expect(parseRoute('#/deliveries?q=event_name%3Acustomer.*%20AND%20success%3Afalse&page=3')).toEqual({
      view: 'deliveries',
      q: 'event_name:customer.* AND success:false',
      page: 3,
    });
  });

  it('falls back to the overview and to page 1 for anything unexpected', () => {
    expect(parseRoute('')).toEqual({ view: 'overview' });
    expect(parseRoute('#/nope')).toEqual({ view: 'overview' });
    expect(parseRoute('#/trace/<script>')).toEqual({ view: 'overview' });
    expect(parseRoute('#/trace/%E0%A4%A')).toEqual({ view: 'overview' });
    expect(parseRoute('#/deliveries?page=-2')).toEqual({ view: 'deliveries', q: '', page: 1 });
    expect(parseRoute('#/deliveries?page=abc')).toEqual({ view: 'deliveries', q: '', page: 1 });
    expect(parseRoute('#/subscriptions/0')).toEqual({ view: 'subscriptions' });
    expect(parseRoute('#/subscriptions/1e3')).toEqual({ view: 'subscriptions' });
  });
});

describe('routeHash', () => {
  it('round-trips through parseRoute', () => {
    const routes: Route[] = [
      { view: 'overview' },
      { view: 'subscriptions' },
      { view: 'subscription', id: 7 },
      { view: 'deadletters' },
      { view: 'trace', uuid: 'a-b-c' },
      { view: 'deliveries', q: '', page: 1 },
      { view: 'deliveries', q: 'data.data.email:"a&b=c?d#e" OR *.created', page: 2 },
    ];
    for (const route of routes) {
      expect(parseRoute(routeHash(route))).toEqual(route);
    }
  });

  it('keeps the default query and page out of the hash', () => {
    expect(routeHash({ view: 'deliveries', q: '', page: 1 })).toBe('#/deliveries');
  });
});
