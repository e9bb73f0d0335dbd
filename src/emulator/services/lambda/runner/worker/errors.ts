import { types } from 'node:util';

/**
 * Errors as the Node.js runtime interface client reports them
 * (aws-lambda-nodejs-runtime-interface-client, src/Errors.js: `toRapidResponse`, the `Runtime.*`
 * error classes). Rewritten here, not copied.
 */
export interface ErrorDocument {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

/** An error whose `name` is one of the runtime's own `Runtime.<Kind>` types. */
export class RuntimeError extends Error {
  constructor(kind: 'HandlerNotFound' | 'ImportModuleError' | 'MalformedHandlerName' | 'UserCodeSyntaxError' | 'UnhandledPromiseRejection', message: string) {
    super(message);
    this.name = `Runtime.${kind}`;
  }
}

function looksLikeError(value: unknown): value is Error {
  if (types.isNativeError(value)) return true;
  const v = value as { name?: unknown; message?: unknown; stack?: unknown } | null;
  return !!v && typeof v.name === 'string' && typeof v.message === 'string' && typeof v.stack === 'string';
}

/** The error document for a thrown value, a rejected promise or `callback(err)`. */
export function toErrorDocument(value: unknown): ErrorDocument {
  try {
    if (looksLikeError(value)) {
      return {
        errorType: value.name,
        errorMessage: value.message,
        trace: typeof value.stack === 'string' ? value.stack.split('\n') : [],
      };
    }
    return { errorType: typeof value, errorMessage: String(value), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
      trace: [],
    };
  }
}

/**
 * How the runtime logs an error (`Invoke Error \t{...}`): the document with the stack as `stack`
 * and any enumerable fields of the error.
 */
export function formattedForLog(value: unknown): string {
  try {
    return (
      '\t' +
      JSON.stringify(value, (_k, v) => {
        if (v instanceof Error) {
          const out: Record<string, unknown> = { errorType: v.name, errorMessage: v.message, ...v };
          if (typeof v.stack === 'string') out.stack = v.stack.split('\n');
          return out;
        }
        return v;
      })
    );
  } catch {
    return '\t' + JSON.stringify(toErrorDocument(value));
  }
}
