import { hookTrigger } from '../lib/hooks.js';
import { choiceTriggers } from './choices.js';
import { EVENTS } from './events.js';

/**
 * Every trigger, keyed by its key: one REST hook trigger per row of the events table, and the hidden
 * triggers behind the dropdowns learned from use.
 */
export const triggers = {
  ...Object.fromEntries(EVENTS.map((event) => [event.key, hookTrigger(event)])),
  ...choiceTriggers,
};
