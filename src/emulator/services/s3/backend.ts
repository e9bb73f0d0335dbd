import { createHash } from 'node:crypto';
import { StateDocument, type StateStore } from '../../core/store.js';
import { bucketAlreadyOwnedByYou, bucketNotEmpty, noSuchBucket, noSuchKey } from './errors.js';
import { checkBucketName, checkKey } from './names.js';
import { compareKeys, listPage, type ListOptions, type ListPage } from './listing.js';
import {
  fromPersisted,
  multipartEtag,
  newUploadId,
  noSuchUpload,
  partsPage,
  selectParts,
  toPersisted,
  type MultipartUpload,
  type PersistedUpload,
  type RequestedPart,
  type UploadedPart,
} from './multipart.js';

/**
 * Local S3: the minimum the lab's app needs: buckets, and objects put (whole or in a multipart
 * upload, as the aws CLI does from 8 MB), read, listed and deleted.
 *
 * Known limits (not emulated): versioning, ACLs and policies, copy, tagging,
 * storage classes, checksums other than Content-MD5, conditional requests, presigned-URL expiry.
 * One account owns every bucket.
 *
 * Storage: the metadata of every bucket and object is one state document (`s3.json`); each object's
 * bytes are one blob named by the SHA-256 of its key (never by the key itself, which may hold `../`)
 * plus its MD5, so a crash between writing the bytes and the metadata leaves the old object whole.
 * The parts of a multipart upload in progress are blobs under `s3-uploads/<uploadId>/` (an id we
 * made, never the client's text), listed in the same document.
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
  /** base64 CRC32 the client sent with the object, checked (x-amz-checksum-crc32) */
  checksumCRC32?: string;
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
  /** multipart uploads in progress (absent in state written before they were emulated) */
  uploads?: PersistedUpload[];
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
  private readonly document: StateDocument<{ buckets: Map<string, S3Bucket>; uploads: Map<string, MultipartUpload> }>;

  constructor(deps: S3BackendDeps) {
    this.store = deps.store;
    this.now = deps.now ?? Date.now;
    this.document = new StateDocument(this.store, STATE_KEY, {
      load: (saved) => {
        const state = saved as PersistedState | undefined;
        const buckets = new Map<string, S3Bucket>();
        for (const b of state?.buckets ?? []) {
          buckets.set(b.name, { ...b, objects: new Map(b.objects.map((o) => [o.key, o])) });
        }
        const uploads = new Map<string, MultipartUpload>();
        for (const u of state?.uploads ?? []) uploads.set(u.uploadId, fromPersisted(u));
        return { buckets, uploads };
      },
      save: ({ buckets, uploads }): PersistedState => ({
        version: 1,
        buckets: [...buckets.values()].map((b) => ({ name: b.name, region: b.region, created: b.created, objects: [...b.objects.values()] })),
        uploads: [...uploads.values()].map(toPersisted),
      }),
    });
  }

  /** read through the document every time: a rollback replaces the maps */
  private get buckets(): Map<string, S3Bucket> {
    return this.document.value.buckets;
  }

  private get uploads(): Map<string, MultipartUpload> {
    return this.document.value.uploads;
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
    // uploads in progress do not keep a bucket (only objects do); they go with it
    const uploads = [...this.uploads.values()].filter((u) => u.bucket === name);
    this.buckets.delete(name);
    for (const u of uploads) this.uploads.delete(u.uploadId);
    this.save();
    this.store.deleteBlob(`s3/${name}`);
    for (const u of uploads) this.store.deleteBlob(`s3-uploads/${u.uploadId}`);
  }

  putObject(
    bucketName: string,
    key: string,
    body: Buffer,
    opts: { contentType?: string; metadata?: Record<string, string>; checksumCRC32?: string } = {},
  ): S3Object {
    this.bucket(bucketName);
    checkKey(key);
    const md5 = createHash('md5').update(body).digest('hex');
    return this.storeObject(bucketName, key, body, `"${md5}"`, opts);
  }

  /** writes the bytes, then the document that names them; the object it replaces goes last */
  private storeObject(
    bucketName: string,
    key: string,
    body: Buffer,
    etag: string,
    opts: { contentType?: string; metadata?: Record<string, string>; checksumCRC32?: string },
  ): S3Object {
    const bucket = this.bucket(bucketName);
    const tag = etag.replace(/"/g, '');
    const blob = `s3/${bucketName}/${createHash('sha256').update(key, 'utf8').digest('hex')}-${tag}`;
    const previous = bucket.objects.get(key);
    this.store.writeBlob(blob, body);
    const object: S3Object = {
      key,
      size: body.length,
      etag,
      contentType: opts.contentType || DEFAULT_CONTENT_TYPE,
      lastModified: this.wholeSecondsNow(),
      metadata: opts.metadata ?? {},
      blob,
      ...(opts.checksumCRC32 ? { checksumCRC32: opts.checksumCRC32 } : {}),
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

  // ---- multipart uploads ------------------------------------------------------------------------

  createMultipartUpload(bucketName: string, key: string, opts: { contentType?: string; metadata?: Record<string, string> } = {}): MultipartUpload {
    this.bucket(bucketName);
    checkKey(key);
    const upload: MultipartUpload = {
      uploadId: newUploadId(),
      bucket: bucketName,
      key,
      initiated: this.wholeSecondsNow(),
      contentType: opts.contentType,
      metadata: opts.metadata ?? {},
      parts: new Map(),
    };
    this.uploads.set(upload.uploadId, upload);
    this.save();
    return upload;
  }

  uploadPart(bucketName: string, key: string, uploadId: string, partNumber: number, body: Buffer): UploadedPart {
    const upload = this.upload(bucketName, key, uploadId);
    const md5 = createHash('md5').update(body).digest('hex');
    const part: UploadedPart = {
      partNumber,
      etag: `"${md5}"`,
      size: body.length,
      lastModified: this.wholeSecondsNow(),
      blob: `s3-uploads/${uploadId}/${partNumber}-${md5}`,
    };
    const previous = upload.parts.get(partNumber);
    this.store.writeBlob(part.blob, body);
    upload.parts.set(partNumber, part);
    try {
      this.save();
    } catch (err) {
      // not stored: the upload is as it was, and the new bytes go (unless they are the old ones)
      if (previous?.blob !== part.blob) this.store.deleteBlob(part.blob);
      throw err;
    }
    if (previous && previous.blob !== part.blob) this.store.deleteBlob(previous.blob);
    return part;
  }

  completeMultipartUpload(bucketName: string, key: string, uploadId: string, requested: RequestedPart[]): S3Object {
    const upload = this.upload(bucketName, key, uploadId);
    const parts = selectParts(upload, requested);
    const body = Buffer.concat(parts.map((p) => this.store.readBlob(p.blob)));
    // the object and the end of the upload are stored together, so neither happens without the other
    this.uploads.delete(uploadId);
    const object = this.storeObject(bucketName, key, body, multipartEtag(parts), { contentType: upload.contentType, metadata: upload.metadata });
    this.store.deleteBlob(`s3-uploads/${uploadId}`);
    return object;
  }

  abortMultipartUpload(bucketName: string, key: string, uploadId: string): void {
    this.upload(bucketName, key, uploadId);
    this.uploads.delete(uploadId);
    this.save();
    this.store.deleteBlob(`s3-uploads/${uploadId}`);
  }

  listParts(bucketName: string, key: string, uploadId: string, marker: number, max: number): { upload: MultipartUpload; parts: UploadedPart[]; isTruncated: boolean } {
    const upload = this.upload(bucketName, key, uploadId);
    return { upload, ...partsPage(upload, marker, max) };
  }

  /** the bucket's uploads in progress, by key, then by when they began */
  listMultipartUploads(bucketName: string): MultipartUpload[] {
    this.bucket(bucketName);
    return [...this.uploads.values()]
      .filter((u) => u.bucket === bucketName)
      .sort((a, b) => compareKeys(a.key, b.key) || a.initiated - b.initiated);
  }

  /** an upload of this bucket and key (S3 answers NoSuchUpload for an id of another key too) */
  private upload(bucketName: string, key: string, uploadId: string): MultipartUpload {
    this.bucket(bucketName);
    const upload = this.uploads.get(uploadId);
    if (!upload || upload.bucket !== bucketName || upload.key !== key) throw noSuchUpload(uploadId);
    return upload;
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
