import { gatewayErrors } from './rpc-error-catalog.js';

/** The value of a required action parameter; absent or empty answers HTTP 400 `Missing<Name>`. */
export function requireParameter(parameters: Readonly<Record<string, string>>, name: string): string {
  const value = parameters[name];
  if (!value) throw gatewayErrors.missingParameter(name);
  return value;
}

/** The value of an optional parameter; an empty value counts as absent. */
export function optionalParameter(parameters: Readonly<Record<string, string>>, name: string): string | undefined {
  return parameters[name] || undefined;
}
