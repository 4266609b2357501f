/**
 * Renders Magento's REST error body `{"message": "No such entity with %fieldName = %fieldValue",
 * "parameters": {"fieldName": "customerId", "fieldValue": 77}}` as the sentence Magento means.
 * Parameters are named (`%name`) or positional (`%1`, from a list). Falls back to the raw text.
 */
export function renderMagentoError(body: Buffer, maxLength = 500): string {
  const text = body.toString('utf8');
  try {
    const parsed = JSON.parse(text) as unknown;
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      typeof (parsed as { message?: unknown }).message === 'string'
    ) {
      const { message, parameters } = parsed as { message: string; parameters?: unknown };
      return message
        .replace(/%(\w+)/g, (whole, name: string) => {
          const value = lookupParameter(parameters, name);
          return value === undefined ? whole : value;
        })
        .slice(0, maxLength);
    }
  } catch {
    // Not JSON (a proxy's HTML error page, say): use the text itself.
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, maxLength);
}

function lookupParameter(parameters: unknown, name: string): string | undefined {
  let value: unknown;
  if (Array.isArray(parameters)) {
    value = parameters[Number(name) - 1];
  } else if (typeof parameters === 'object' && parameters !== null) {
    value = (parameters as Record<string, unknown>)[name];
  }
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : undefined;
}
