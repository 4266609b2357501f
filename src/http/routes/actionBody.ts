import { ApiError } from '../../shared/index.js';

/**
 * The JSON object body of an action route (replay, re-drive), refusing fields it does not know:
 * a typo such as "lmit" or "dry_run" must be a 400, not silently the default acting on more
 * deliveries than the operator meant.
 */
export function actionFields(
  body: unknown,
  known: readonly string[],
  usage: string,
): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError('SC_ERR_INPUT', usage);
  }
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).find((key) => !known.includes(key));
  if (unknown !== undefined) {
    throw new ApiError('SC_ERR_INPUT', 'Unknown field "%fieldName"; known: %known.', {
      parameters: { fieldName: unknown, known: known.join(', ') },
    });
  }
  return fields;
}
