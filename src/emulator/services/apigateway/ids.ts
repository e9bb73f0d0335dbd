import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** API Gateway ids (rest API, resource, deployment) are 10 lower-case alphanumerics: `a1b2c3d4e5`. */
export function newId(length = 10): string {
  const bytes = randomBytes(length);
  let id = '';
  for (let i = 0; i < length; i++) id += ALPHABET[bytes[i] % ALPHABET.length];
  return id;
}
