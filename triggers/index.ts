import { hookTrigger } from '../lib/hooks.js';
import { EVENTS } from './events.js';

/** Every trigger, keyed by its key: one REST hook trigger per row of the events table. */
export const triggers = Object.fromEntries(EVENTS.map((event) => [event.key, hookTrigger(event)]));
