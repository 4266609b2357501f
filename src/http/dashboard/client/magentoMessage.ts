/**
 * Magento's error bodies keep placeholders in the phrase and the values beside it:
 * `{"message": "Unknown async event \"%eventName\"", "parameters": {"eventName": "x"}}`, or `%1`, `%2`
 * for a list. This renders them the way Magento's Phrase placeholder renderer does (PHP `strtr`): at
 * each position the longest placeholder that matches wins, and replaced text is not scanned again.
 */
export type MagentoParameters = Readonly<Record<string, unknown>> | readonly unknown[];

export interface MagentoErrorBody {
  message: string;
  parameters?: MagentoParameters;
  errors?: ReadonlyArray<{ message: string; parameters?: MagentoParameters }>;
}

function parameterText(value: unknown): string {
  if (value === null || value === undefined) {
    return '';
  }
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (Array.isArray(value)) {
    return value.map(parameterText).join(', ');
  }
  return JSON.stringify(value);
}

export function renderMagentoMessage(message: string, parameters: MagentoParameters = []): string {
  const pairs: Array<[string, string]> = Array.isArray(parameters)
    ? parameters.map((value: unknown, index) => [`%${index + 1}`, parameterText(value)])
    : Object.entries(parameters).map(([key, value]) => [`%${key}`, parameterText(value)]);
  if (pairs.length === 0) {
    return message;
  }
  pairs.sort((a, b) => b[0].length - a[0].length);
  let rendered = '';
  let index = 0;
  while (index < message.length) {
    const match = message[index] === '%' ? pairs.find(([key]) => message.startsWith(key, index)) : undefined;
    if (match === undefined) {
      rendered += message[index];
      index += 1;
    } else {
      rendered += match[1];
      index += match[0].length;
    }
  }
  return rendered;
}

/** Whether an answer body has Magento's error shape. */
export function isMagentoErrorBody(body: unknown): body is MagentoErrorBody {
  return (
    typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string'
  );
}

/** Every problem of an error body as text: the list under `errors` when several, else the message. */
export function magentoErrorLines(body: MagentoErrorBody): string[] {
  const listed = body.errors ?? [];
  if (listed.length > 0) {
    return listed.map((error) => renderMagentoMessage(error.message, error.parameters));
  }
  return [renderMagentoMessage(body.message, body.parameters)];
}
