import type { ServiceDefinition } from '../../core/service.js';
import { RekognitionBackend, type ImageObjectReader } from './backend.js';
import { bundledSamplesDir, SampleCatalog } from './catalog.js';
import { rekognitionOperations } from './routes.js';

export { RekognitionBackend, type ImageObjectReader } from './backend.js';
export type { LabelFile } from './catalog.js';

export interface RekognitionServiceDeps {
  /** where `Image.S3Object` is read from: S3's backend */
  images: ImageObjectReader;
  /**
   * folders of sample images with `<name>.labels.json` beside them; default: the package's
   * `sam-app/samples` (found from the package root, not the cwd)
   */
  samplesDirs?: string[];
}

export function createRekognitionService(deps: RekognitionServiceDeps): ServiceDefinition {
  const dirs = deps.samplesDirs ?? [bundledSamplesDir()].filter((d): d is string => d !== undefined);
  const backend = new RekognitionBackend(deps.images, new SampleCatalog(dirs));
  return {
    id: 'rekognition',
    signingName: 'rekognition',
    protocols: ['awsJson1_1'],
    targetPrefix: 'RekognitionService',
    operations: rekognitionOperations(backend),
  };
}
