// How a request asks an OpenAI-compatible server not to think, and what to tell the user when the
// server refuses the field that asks. Servers disagree: vLLM and llama-server read
// chat_template_kwargs, Ollama's /v1 reads reasoning_effort, strict APIs reject unknown fields.
import { CrescentError } from '../crescent/errors';
import type { ThinkingSwitch } from '../recipe/types';
import type { HttpRefusal } from './openaiErrors';

export type SwitchStyle = Exclude<ThinkingSwitch, 'auto'>;

/** Where the setting lives, for messages: the form's label and the recipe's field. */
const SWITCH_SETTING = 'Thinking switch (recipe: engine.thinkingSwitch)';

/**
 * 'auto' from the base URL: Ollama listens on 11434 unless moved (vLLM would refuse its 'none'
 * effort with a 400); OpenAI's own API rejects fields it does not know.
 */
export function thinkingSwitchFor(baseUrl: string): SwitchStyle {
  if (/:11434(\/|$)/.test(baseUrl)) return 'reasoning-effort';
  if (/^https?:\/\/api\.openai\.com(:\d+)?(\/|$)/i.test(baseUrl)) return 'off';
  return 'chat-template-kwargs';
}

/** The fields a request without thinking carries under this style. */
export function switchFields(style: SwitchStyle): Record<string, unknown> {
  if (style === 'chat-template-kwargs') return { chat_template_kwargs: { enable_thinking: false } };
  if (style === 'reasoning-effort') return { reasoning_effort: 'none' };
  return {};
}

/** Statuses with which servers reject a body they cannot validate. */
export function isBodyRefusal(refusal: HttpRefusal): boolean {
  return refusal.status === 400 || refusal.status === 422;
}

/**
 * The server refused a request that carried the switch's `field`, with the switch set by hand.
 * When the server names the field, every request would fail the same way: the run stops.
 */
export function switchRefused(
  field: string,
  setting: SwitchStyle,
  refusal: HttpRefusal,
  original: CrescentError,
): CrescentError {
  const said = refusal.detail ? `: ${refusal.detail}` : '';
  if (refusal.detail.toLowerCase().includes(field.toLowerCase())) {
    return new CrescentError(
      {
        code: 'bad-request',
        message: `The server does not accept the ${field} field that the thinking switch "${setting}" adds (${refusal.status})${said}.`,
        action: `Set ${SWITCH_SETTING} to "off" or "auto", then resume the run.`,
      },
      { cause: refusal },
    );
  }
  return new CrescentError(
    {
      code: 'bad-request',
      message: `${original.message} The request carried ${field}, which the thinking switch "${setting}" adds and some servers reject.`,
      action: `If this server rejects fields it does not know, set ${SWITCH_SETTING} to "off"; otherwise ${lowerFirst(original.action ?? 'check the request settings.')}`,
      perRequest: original.perRequest,
      retryable: original.retryable,
    },
    { cause: refusal },
  );
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
