/**
 * CloudWatch's errors, by shape name, with the awsQuery code and status of the `awsQueryCompatible`
 * trait (botocore cloudwatch 2010-08-01 service-2.json `error` members; wire doc 3.3).
 */
import { ServiceError } from '../../core/service-error.js';

export const QUERY_COMPATIBLE: Record<string, { code: string; status: number }> = {
  ResourceNotFound: { code: 'ResourceNotFound', status: 404 },
  DashboardNotFoundError: { code: 'ResourceNotFound', status: 404 },
  ResourceNotFoundException: { code: 'ResourceNotFoundException', status: 404 },
  InvalidParameterValueException: { code: 'InvalidParameterValue', status: 400 },
  InvalidParameterCombinationException: { code: 'InvalidParameterCombination', status: 400 },
  MissingRequiredParameterException: { code: 'MissingParameter', status: 400 },
  InvalidNextToken: { code: 'InvalidNextToken', status: 400 },
  InvalidFormatFault: { code: 'InvalidFormat', status: 400 },
  LimitExceededFault: { code: 'LimitExceeded', status: 400 },
  LimitExceededException: { code: 'LimitExceededException', status: 400 },
  InternalServiceFault: { code: 'InternalServiceError', status: 500 },
  ConcurrentModificationException: { code: 'ConcurrentModificationException', status: 429 },
  // not modelled: the common ValidationError of Coral services
  ValidationError: { code: 'ValidationError', status: 400 },
};

/** `Alarm nope does not exist` (wire doc 3.4, captured from the CLI) */
export const alarmNotFound = (name: string) => new ServiceError('ResourceNotFound', `Alarm ${name} does not exist`, 404);

export const invalidParameterValue = (message: string) => new ServiceError('InvalidParameterValueException', message, 400);

export const invalidParameterCombination = (message: string) => new ServiceError('InvalidParameterCombinationException', message, 400);

export const missingParameter = (message: string) => new ServiceError('MissingRequiredParameterException', message, 400);

export const invalidNextToken = () => new ServiceError('InvalidNextToken', 'The service returned an invalid NextToken.', 400);

export const invalidFormat = (message: string) => new ServiceError('InvalidFormatFault', message, 400);

/**
 * Smithy-constraint failures, as Coral services word them:
 * `1 validation error detected: Value 'X' at 'stateValue' failed to satisfy constraint: Member must
 * satisfy enum value set: [INSUFFICIENT_DATA, ALARM, OK]` (codedeploy-cloudwatch-sam.md D.4).
 */
export function validationError(messages: string[]): ServiceError {
  const n = messages.length;
  return new ServiceError('ValidationError', `${n} validation error${n === 1 ? '' : 's'} detected: ${messages.join('; ')}`, 400);
}
