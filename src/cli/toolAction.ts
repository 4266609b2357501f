import { ApiError, coerceError, SidecarError } from '../shared/index.js';
import { makeToolContext, type ToolContext } from './toolContext.js';

/** Prints the human report, or the JSON document with --json. */
export type Print = (human: string, json: unknown) => void;

/** A command's work; it may answer an exit code other than 0 (e.g. 3 when a check found problems). */
export type ToolWork = (context: ToolContext, print: Print) => Promise<number | void>;

/** Turns a command's work into a commander action with the shared exit-code rules. */
export type ToolRunner = (json: boolean, work: ToolWork) => () => Promise<void>;

/**
 * The operator commands share one contract: they read the same environment as `run`, print a
 * readable report or JSON, and exit 0 on success, 2 for bad input or configuration, 1 when a
 * dependency fails (the message says which), or the code the work answers.
 */
export function makeToolRunner(setExitCode: (code: number) => void): ToolRunner {
  return (json, work) => async () => {
    let context: ToolContext | undefined;
    try {
      context = makeToolContext(process.env);
      const code = await work(context, (human, data) =>
        process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${human}\n`),
      );
      setExitCode(code ?? 0);
    } catch (error: unknown) {
      const failure = coerceError(error);
      // 4xx-class API errors are the operator's input; 5xx-class ones (a dependency down) are not.
      const input =
        (failure instanceof ApiError && failure.statusCode < 500) ||
        (failure instanceof SidecarError && failure.code === 'SC_ERR_CONFIG');
      process.stderr.write(`${failure instanceof ApiError ? renderPhrase(failure) : failure.message}\n`);
      setExitCode(input ? 2 : 1);
    } finally {
      await context?.close();
    }
  };
}

export function positive(raw: string, name: string, max: number): number {
  if (!/^\d{1,15}$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    throw new ApiError('SC_ERR_INPUT', `--${name} must be a whole number from 1 to ${max}.`);
  }
  return Number(raw);
}

/** Magento-style phrases with their parameters filled in, for a terminal. */
export function renderPhrase(error: ApiError): string {
  const parameters = error.parameters as Record<string, unknown> | unknown[];
  return error.message.replace(/%(\w+)/g, (whole, name: string) => {
    const value: unknown = Array.isArray(parameters) ? parameters[Number(name) - 1] : parameters[name];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : whole;
  });
}
