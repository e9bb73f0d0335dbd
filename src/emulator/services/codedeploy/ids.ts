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

const DEPLOYMENT_ID = /^d-[0-9A-Z]{9}$/;

/**
 * Whether `id` has a deployment id's shape. CodeDeploy tells an id it could not have made
 * (InvalidDeploymentIdException, "At least one of the deployment IDs was specified in an invalid
 * format") from a well-formed one it does not know (DeploymentDoesNotExistException): both are
 * among the errors of every operation that takes a deployment id
 * (https://docs.aws.amazon.com/codedeploy/latest/APIReference/API_GetDeployment.html#API_GetDeployment_Errors).
 */
export function isDeploymentId(id: string): boolean {
  return DEPLOYMENT_ID.test(id);
}
