import { ServiceError } from '../../core/service-error.js';

/**
 * Rekognition errors as the service sends them: 400 with `__type`, `Code` and `Message` in the
 * body (wire-protocols.md 3.3; the real service's bodies carry both `Code` and `Message`).
 * https://docs.aws.amazon.com/rekognition/latest/APIReference/API_DetectLabels.html#API_DetectLabels_Errors
 */
function rekognitionError(code: string, message: string, status = 400): ServiceError {
  return new ServiceError(code, message, status, { Code: code, Message: message });
}

/** AWS's text for a bad request is always this one sentence. */
export const invalidParameter = (message = 'Request has invalid parameters') => rekognitionError('InvalidParameterException', message);

/** AWS's text when the S3 object cannot be read (missing bucket or key, wrong region, no access). */
export const invalidS3Object = () =>
  rekognitionError(
    'InvalidS3ObjectException',
    'Unable to get object metadata from S3. Check object key, region and/or access permissions.',
  );

export const invalidImageFormat = () => rekognitionError('InvalidImageFormatException', 'Request has invalid image format');

export const imageTooLarge = () => rekognitionError('ImageTooLargeException', 'Image size is too large.');
