/**
 * Shapes of CodeDeploy's input members, as the model defines them; a member of another JSON type
 * is refused by the operation's own error, never stored as sent.
 */

/** a structure: a JSON object (not null, not a list) */
export function isStructure(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** absent: JSON null is the same as leaving the member out */
export function isAbsent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}
