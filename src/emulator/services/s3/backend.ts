import { createHash } from 'node:crypto';
import { StateDocument, type StateStore } from '../../core/store.js';
import { bucketAlreadyOwnedByYou, bucketNotEmpty, noSuchBucket, noSuchKey } from './errors.js';
import { checkBucketName, checkKey } from './names.js';
import { compareKeys, listPage, type ListOptions, type ListPage } from './listing.js';

/**
 * Local S3: the minimum the lab's app needs: buckets, and whole objects put, read, listed and deleted.
 *
 * Known limits (not emulated): versioning, ACLs and policies, multipart uploads, copy, tagging,
 * storage classes, checksums other than Content-MD5, conditional requests, presigned-URL expiry.
 * One account owns every bucket.
 *
 * Storage: the metadata of every bucket and object is one state document (`s3.json`); each object's
 * bytes are one blob named by the SHA-256 of its key (never by the key itself, which may hold `../`)
 * plus its MD5, so a crash between writing the bytes and the metadata leaves the old object whole.
 */

export interface S3Object {
  key: string;
  size: number;
  /** quoted MD5 hex, as S3 sends it: `"5d41402abc4b2a76b9719d911017c592"` */
  etag: string;
  contentType: string;
  /** epoch ms, whole seconds (S3's own precision) */
  lastModified: number;
  /** user metadata (`x-amz-meta-*`), lower-case names */
  metadata: Record<string, string>;
  /** blob path inside the state dir's blobs/ */
  blob: string;
}

export interface S3Bucket {
  name: string;
  region: string;
  /** epoch ms */
  created: number;
  objects: Map<string, S3Object>;
}

/** What other services read: Rekognition's images, Lambda's code packages (`S3Bucket`/`S3Key`). */
export interface S3ObjectContent {
  body: Buffer;
  contentType: string;
  etag: string;
  size: number;
  lastModified: Date;
}

interface PersistedState {
  version: 1;
  buckets: { name: string; region: string; created: number; objects: S3Object[] }[];
}

const STATE_KEY = 's3';
/** S3's default Content-Type for an object stored without one */
export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

export interface S3BackendDeps {
  store: StateStore;
  /** wall clock for CreationDate / LastModified (real time, not the scaled cloud clock) */
  now?: () => number;
}

export class S3Backend {
  private readonly store: StateStore;
  private readonly now: () => number;
  /** a change that cannot be stored is undone (StateDocument): the answer and a restart agree */
  private readonly document: StateDocument<Map<string, S3Bucket>>;

  constructor(deps: S3BackendDeps) {
    this.store = deps.store;
    this.now = deps.now ?? Date.now;
    this.document = new StateDocument(this.store, STATE_KEY, {
      load: (saved) => {
        const buckets = new Map<string, S3Bucket>();
        for (const b of (saved as PersistedState | undefined)?.buckets ?? []) {
          buckets.set(b.name, { ...b, objects: new Map(b.objects.map((o) => [o.key, o])) });
        }
        return buckets;
      },
      save: (buckets): PersistedState => ({
        version: 1,
        buckets: [...buckets.values()].map((b) => ({ name: b.name, region: b.region, created: b.created, objects: [...b.objects.values()] })),
      }),
    });
  }

  private get buckets(): Map<string, S3Bucket> {
    return this.document.value;
  }

  /**
   * https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html: re-creating a bucket you
   * own answers 200 in us-east-1 ("for legacy compatibility") and BucketAlreadyOwnedByYou elsewhere.
   */
  createBucket(name: string, region: string): { location: string } {
    checkBucketName(name);
    if (this.buckets.has(name)) {
      if (region === 'us-east-1') return { location: `/${name}` };
      throw bucketAlreadyOwnedByYou(name);
    }
    this.buckets.set(name, { name, region, created: this.wholeSecondsNow(), objects: new Map() });
    this.save();
    return { location: `/${name}` };
  }

  headBucket(name: string): { region: string } {
    return { region: this.bucket(name).region };
  }

  listBuckets(): { name: string; region: string; created: Date }[] {
    return [...this.buckets.values()]
      .sort((a, b) => compareKeys(a.name, b.name))
      .map((b) => ({ name: b.name, region: b.region, created: new Date(b.created) }));
  }

  deleteBucket(name: string): void {
    const bucket = this.bucket(name);
    if (bucket.objects.size) throw bucketNotEmpty(name);
    this.buckets.delete(name);
    this.save();
    this.store.deleteBlob(`s3/${name}`);
  }

  putObject(
    bucketName: string,
    key: string,
    body: Buffer,
    opts: { contentType?: string; metadata?: Record<string, string> } = {},
  ): S3Object {
    const bucket = this.bucket(bucketName);
    checkKey(key);
    const md5 = createHash('md5').update(body).digest('hex');
    const blob = `s3/${bucketName}/${createHash('sha256').update(key, 'utf8').digest('hex')}-${md5}`;
    const previous = bucket.objects.get(key);
    this.store.writeBlob(blob, body);
    const object: S3Object = {
      key,
      size: body.length,
      etag: `"${md5}"`,
      contentType: opts.contentType || DEFAULT_CONTENT_TYPE,
      lastModified: this.wholeSecondsNow(),
      metadata: opts.metadata ?? {},
      blob,
    };
    bucket.objects.set(key, object);
    try {
      this.save();
    } catch (err) {
      // not stored: the object is as it was, and the new bytes go (unless they are the old ones)
      if (previous?.blob !== blob) this.store.deleteBlob(blob);
      throw err;
    }
    if (previous && previous.blob !== blob) this.store.deleteBlob(previous.blob);
    return object;
  }

  headObject(bucketName: string, key: string): S3Object {
    const object = this.bucket(bucketName).objects.get(key);
    if (!object) throw noSuchKey(key);
    return object;
  }

  /** The in-process read other services use; throws ServiceError NoSuchBucket / NoSuchKey. */
  getObject(bucketName: string, key: string): S3ObjectContent {
    const object = this.headObject(bucketName, key);
    return {
      body: this.store.readBlob(object.blob),
      contentType: object.contentType,
      etag: object.etag,
      size: object.size,
      lastModified: new Date(object.lastModified),
    };
  }

  /**
   * The same read, with undefined for a missing bucket or key: what Lambda's `CodeSource` wants
   * (there is no versioning here, so only the null version exists).
   */
  findObject(bucketName: string, key: string, versionId?: string): S3ObjectContent | undefined {
    if (versionId !== undefined && versionId !== 'null') return undefined;
    if (!this.buckets.get(bucketName)?.objects.has(key)) return undefined;
    return this.getObject(bucketName, key);
  }

  /** S3 answers 204 whether or not the key existed; only a missing bucket is an error. */
  deleteObject(bucketName: string, key: string): void {
    const bucket = this.bucket(bucketName);
    const object = bucket.objects.get(key);
    if (!object) return;
    bucket.objects.delete(key);
    this.save();
    this.store.deleteBlob(object.blob);
  }

  listObjects(bucketName: string, opts: ListOptions): ListPage<S3Object> {
    const bucket = this.bucket(bucketName);
    const sorted = [...bucket.objects.values()].sort((a, b) => compareKeys(a.key, b.key));
    return listPage(sorted, opts);
  }

  private bucket(name: string): S3Bucket {
    const bucket = this.buckets.get(name);
    if (!bucket) throw noSuchBucket(name);
    return bucket;
  }

  private wholeSecondsNow(): number {
    return Math.floor(this.now() / 1000) * 1000;
  }

  /** stores the change before the call answers; throws StateWriteError (S3's InternalError) when it cannot */
  private save(): void {
    this.document.commit();
  }
}
