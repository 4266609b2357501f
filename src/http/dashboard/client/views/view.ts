import type { Api } from '../api.js';
import type { Route } from '../route.js';

/** What a view gets: the API with the session's token, its route, and a way to go elsewhere. */
export interface ViewContext<R extends Route = Route> {
  api: Api;
  route: R;
  navigate: (route: Route) => void;
}

/** A view draws into `root` and returns how to stop its timers when another view takes over. */
export type View<R extends Route = Route> = (
  root: HTMLElement,
  context: ViewContext<R>,
) => (() => void) | void;

/** Runs `work` now and every `everyMs` while the page is visible; returns the stopper. */
export function refreshEvery(everyMs: number, work: () => Promise<void>): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = async (): Promise<void> => {
    if (!document.hidden) {
      await work();
    }
    if (!stopped) {
      timer = setTimeout(() => void tick(), everyMs);
    }
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
