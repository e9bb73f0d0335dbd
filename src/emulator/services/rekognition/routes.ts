import type { Operation } from '../../core/service.js';
import type { RekognitionBackend } from './backend.js';
import { rekognitionHandlers } from './handlers.js';

/** awsJson1_1 operations (`X-Amz-Target: RekognitionService.<Op>`): no HTTP bindings, just names. */
export function rekognitionOperations(backend: RekognitionBackend): Operation[] {
  const handlers = rekognitionHandlers(backend);
  return [
    { name: 'DetectLabels', handle: handlers.DetectLabels },
    { name: 'RecognizeCelebrities', handle: handlers.RecognizeCelebrities },
  ];
}
