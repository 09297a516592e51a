import type { EventEmitter } from 'node:events';

/** Resolves once `predicate` holds, re-checked on every 'change' event of `events`. */
export function waitForChange(events: EventEmitter, predicate: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!predicate()) return;
      events.off('change', check);
      resolve();
    };
    events.on('change', check);
    check();
  });
}
