import { operationsOf, type Operation } from '../../core/service.js';
import type { RekognitionBackend } from './backend.js';
import { rekognitionHandlers } from './handlers.js';

/** awsJson1_1 operations (`X-Amz-Target: RekognitionService.<Op>`): no HTTP bindings, just names. */
export function rekognitionOperations(backend: RekognitionBackend): Operation[] {
  return operationsOf<'DetectLabels' | 'RecognizeCelebrities'>(rekognitionHandlers(backend));
}
