/**
 * First SIGTERM/SIGINT: graceful shutdown. Another signal more than `debounceMs` later (an impatient
 * operator, a supervisor escalating): forced exit. The forced path only sets the exit code and
 * exits; the graceful path lets the caller finish and flush logs before the process ends by itself.
 */
export interface SignalHandling {
  dispose(): void;
}

export function handleShutdownSignals(options: {
  onShutdown: (signal: NodeJS.Signals) => void;
  onForce: (signal: NodeJS.Signals) => void;
  /** @default 1000 ms */
  debounceMs?: number;
}): SignalHandling {
  let firstAt: number | undefined;
  const listener = (signal: NodeJS.Signals): void => {
    const now = Date.now();
    if (firstAt === undefined) {
      firstAt = now;
      options.onShutdown(signal);
    } else if (now - firstAt > (options.debounceMs ?? 1000)) {
      options.onForce(signal);
    }
  };
  process.on('SIGTERM', listener);
  process.on('SIGINT', listener);
  return {
    dispose() {
      process.off('SIGTERM', listener);
      process.off('SIGINT', listener);
    },
  };
}
