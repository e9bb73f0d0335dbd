import { randomInt } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** `d-` and nine of [0-9A-Z], the shape every real id shows (d-RGSWBD91L) [obs] */
export function newDeploymentId(taken: { has(id: string): boolean }): string {
  for (;;) {
    let id = 'd-';
    for (let i = 0; i < 9; i++) id += ALPHABET[randomInt(ALPHABET.length)];
    if (!taken.has(id)) return id;
  }
}
