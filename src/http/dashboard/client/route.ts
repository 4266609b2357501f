/**
 * Hash routes of the single page: `#/overview`, `#/subscriptions`, `#/subscriptions/<id>`,
 * `#/deliveries?q=…&page=N`, `#/trace/<uuid>`, `#/deadletters`. Anything else is the overview.
 */
export type Route =
  | { view: 'overview' }
  | { view: 'subscriptions' }
  | { view: 'subscription'; id: number }
  | { view: 'deliveries'; q: string; page: number }
  | { view: 'trace'; uuid: string }
  | { view: 'deadletters' };

export type ViewName = Route['view'];

const UUID = /^[A-Za-z0-9-]{1,64}$/;

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const params = new URLSearchParams(query);
  const segments = path.split('/').filter((segment) => segment !== '');
  switch (segments[0]) {
    case 'subscriptions': {
      if (segments[1] === undefined) {
        return { view: 'subscriptions' };
      }
      const id = /^\d{1,10}$/.test(segments[1]) ? Number(segments[1]) : 0;
      return id >= 1 ? { view: 'subscription', id } : { view: 'subscriptions' };
    }
    case 'deliveries': {
      const page = Number(params.get('page') ?? '1');
      return {
        view: 'deliveries',
        q: params.get('q') ?? '',
        page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
      };
    }
    case 'trace': {
      const uuid = decodeSegment(segments[1] ?? '');
      return uuid !== undefined && UUID.test(uuid) ? { view: 'trace', uuid } : { view: 'overview' };
    }
    case 'deadletters':
      return { view: 'deadletters' };
    default:
      return { view: 'overview' };
  }
}

export function routeHash(route: Route): string {
  switch (route.view) {
    case 'deliveries': {
      const params = new URLSearchParams();
      if (route.q !== '') {
        params.set('q', route.q);
      }
      if (route.page > 1) {
        params.set('page', String(route.page));
      }
      const query = params.toString();
      return `#/deliveries${query === '' ? '' : `?${query}`}`;
    }
    case 'trace':
      return `#/trace/${encodeURIComponent(route.uuid)}`;
    case 'subscription':
      return `#/subscriptions/${route.id}`;
    default:
      return `#/${route.view}`;
  }
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
