import type { ServiceDefinition } from '../../core/service.js';
import type { StateStore } from '../../core/store.js';
import { S3Backend } from './backend.js';
import { s3Operations } from './routes.js';
import { internalError } from './errors.js';

export { S3Backend, type S3Object, type S3ObjectContent } from './backend.js';

export interface S3ServiceDeps {
  /** an existing backend, to share it with the services that read objects in-process */
  backend?: S3Backend;
  /** where buckets and objects persist (used when no backend is given) */
  store?: StateStore;
  /** wall clock for CreationDate / LastModified, epoch ms */
  now?: () => number;
}

export interface S3Service extends ServiceDefinition {
  /** typed in-process access: `backend.getObject(bucket, key)` → `{ body, contentType, etag, size, lastModified }` */
  backend: S3Backend;
}

export function createS3Service(deps: S3ServiceDeps): S3Service {
  const backend = deps.backend ?? new S3Backend({ store: requireStore(deps.store), now: deps.now });
  return {
    id: 's3',
    signingName: 's3',
    protocols: ['restXml'],
    // the XML namespace of S3 success bodies
    namespace: 'http://s3.amazonaws.com/doc/2006-03-01/',
    operations: s3Operations(backend),
    storeFailure: (cause) => internalError(cause.message),
    backend,
  };
}

function requireStore(store: StateStore | undefined): StateStore {
  if (!store) throw new TypeError('createS3Service needs a store or a backend');
  return store;
}

/** Lambda's `CodeSource` (Code.S3Bucket / S3Key): the bytes, or undefined for a missing bucket or key. */
export function s3CodeSource(backend: S3Backend) {
  return {
    getObject: (bucket: string, key: string, versionId?: string): Buffer | undefined => backend.findObject(bucket, key, versionId)?.body,
  };
}
