// The header's privacy claim, worded so it stays true for the recipe being set up: prompts reach
// an endpoint only when one is set, and a server on this computer is not "elsewhere".
import { serverUrlsOf } from '../recipe/secrets';
import type { Recipe } from '../recipe/types';
import { isLoopback, requestOrigin } from './tally';

export interface PrivacyClaim {
  text: string;
  /** A longer sentence for a tooltip or a screen reader. */
  detail: string;
  /** True when the recipe sends prompts or questions off this computer. */
  leavesMachine: boolean;
}

export function privacyClaim(recipe: Recipe): PrivacyClaim {
  const urls = serverUrlsOf(recipe).filter((u) => requestOrigin(u) !== null);
  if (urls.length === 0) {
    return {
      text: 'Nothing leaves your browser',
      detail:
        'Models run in this tab and data stays in this browser; only model files are downloaded.',
      leavesMachine: false,
    };
  }
  const away = urls.filter((u) => !isLoopback(u));
  if (away.length === 0) {
    return {
      text: 'Nothing leaves this computer',
      detail: 'Prompts go to the endpoint on this computer; data stays in this browser.',
      leavesMachine: false,
    };
  }
  const hosts = [...new Set(away.map((u) => new URL(u).host))];
  return {
    text: `Prompts go only to ${hosts.join(' and ')}`,
    detail: `Prompts and questions are sent to the endpoint you set (${hosts.join(', ')}); nothing goes anywhere else, and data stays in this browser.`,
    leavesMachine: true,
  };
}
