/**
 * S3 requests as the SDK v3 and aws-cli v1 sent them (from /work/shared/wire/captures, signatures
 * blanked; the aws-chunked body is the one quoted in wire-protocols.md section 7.2).
 */
export interface CapturedRequest {
  name: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  bodyHex: string;
}

export const captured: CapturedRequest[] = [
  {
    "name": "SDK PUT /bkt/",
    "method": "PUT",
    "url": "/bkt/",
    "headers": {
      "content-type": "application/xml",
      "x-amz-user-agent": "aws-sdk-js/3.1174.0",
      "user-agent": "aws-sdk-js/3.1174.0 ua/2.1 os/linux#6.18.44-fc-v657 lang/js md/nodejs#20.20.2 api/s3#3.1174.0 m/N,E,e",
      "host": "127.0.0.1:4599",
      "amz-sdk-invocation-id": "f6991cd2-b5db-4b20-8ee0-68300065674f",
      "amz-sdk-request": "attempt=1; max=1",
      "x-amz-date": "20261126T121556Z",
      "x-amz-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/s3/aws4_request, SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-user-agent, Signature=0000",
      "connection": "keep-alive",
      "content-length": "0"
    },
    "bodyHex": ""
  },
  {
    "name": "SDK PUT /bkt/dir/a%20b.txt?x-id=PutObject",
    "method": "PUT",
    "url": "/bkt/dir/a%20b.txt?x-id=PutObject",
    "headers": {
      "content-type": "text/plain",
      "content-length": "5",
      "x-amz-sdk-checksum-algorithm": "CRC32",
      "x-amz-checksum-crc32": "NhCmhg==",
      "x-amz-user-agent": "aws-sdk-js/3.1174.0",
      "user-agent": "aws-sdk-js/3.1174.0 ua/2.1 os/linux#6.18.44-fc-v657 lang/js md/nodejs#20.20.2 api/s3#3.1174.0 m/N,Z,b,U,E,e",
      "host": "127.0.0.1:4599",
      "amz-sdk-invocation-id": "9fa6e479-616e-41e2-b0c9-2522fafa99f4",
      "amz-sdk-request": "attempt=1; max=1",
      "x-amz-date": "20261126T121556Z",
      "x-amz-content-sha256": "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
      "authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/s3/aws4_request, SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-checksum-crc32;x-amz-content-sha256;x-amz-date;x-amz-sdk-checksum-algorithm;x-amz-user-agent, Signature=0000",
      "connection": "keep-alive"
    },
    "bodyHex": "68656c6c6f"
  },
  {
    "name": "SDK GET /bkt/?list-type=2&prefix=",
    "method": "GET",
    "url": "/bkt/?list-type=2&prefix=",
    "headers": {
      "x-amz-user-agent": "aws-sdk-js/3.1174.0",
      "user-agent": "aws-sdk-js/3.1174.0 ua/2.1 os/linux#6.18.44-fc-v657 lang/js md/nodejs#20.20.2 api/s3#3.1174.0 m/N,E,e",
      "host": "127.0.0.1:4599",
      "amz-sdk-invocation-id": "e3d31e4d-a400-4eab-a7f0-bd0f9f063d71",
      "amz-sdk-request": "attempt=1; max=1",
      "x-amz-date": "20261126T121556Z",
      "x-amz-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/s3/aws4_request, SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;host;x-amz-content-sha256;x-amz-date;x-amz-user-agent, Signature=0000",
      "connection": "keep-alive"
    },
    "bodyHex": ""
  },
  {
    "name": "SDK GET /bkt/a.txt?x-id=GetObject",
    "method": "GET",
    "url": "/bkt/a.txt?x-id=GetObject",
    "headers": {
      "x-amz-checksum-mode": "ENABLED",
      "x-amz-user-agent": "aws-sdk-js/3.1174.0",
      "user-agent": "aws-sdk-js/3.1174.0 ua/2.1 os/linux#6.18.44-fc-v657 lang/js md/nodejs#20.20.2 api/s3#3.1174.0 m/N,Z,b,E,e",
      "host": "127.0.0.1:4599",
      "amz-sdk-invocation-id": "676119c3-4c5b-4679-9d8c-b3ef31ff48a7",
      "amz-sdk-request": "attempt=1; max=1",
      "x-amz-date": "20261126T121556Z",
      "x-amz-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/s3/aws4_request, SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;host;x-amz-checksum-mode;x-amz-content-sha256;x-amz-date;x-amz-user-agent, Signature=0000",
      "connection": "keep-alive"
    },
    "bodyHex": ""
  },
  {
    "name": "CLI GET /bkt?list-type=2&encoding-type=url",
    "method": "GET",
    "url": "/bkt?list-type=2&encoding-type=url",
    "headers": {
      "host": "127.0.0.1:4599",
      "accept-encoding": "identity",
      "user-agent": "aws-cli/1.45.11 md/Botocore#1.43.11 ua/2.1 os/linux#6.18.44-fc-v657 md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython m/g,b,C,D,Z,N cfg/retry-mode#legacy botocore/1.43.11",
      "x-amz-date": "20261126T121632Z",
      "x-amz-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=0000",
      "amz-sdk-invocation-id": "03a26c8c-d774-43d6-9eac-948851f29010",
      "amz-sdk-request": "attempt=1"
    },
    "bodyHex": ""
  },
  {
    "name": "CLI PUT /bkt/a.txt",
    "method": "PUT",
    "url": "/bkt/a.txt",
    "headers": {
      "host": "127.0.0.1:4599",
      "accept-encoding": "identity",
      "user-agent": "aws-cli/1.45.11 md/Botocore#1.43.11 ua/2.1 os/linux#6.18.44-fc-v657 md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython m/D,g,Z,U,b,N cfg/retry-mode#legacy botocore/1.43.11",
      "expect": "100-continue",
      "x-amz-checksum-crc32": "NjowIA==",
      "x-amz-sdk-checksum-algorithm": "CRC32",
      "x-amz-date": "20261126T121633Z",
      "x-amz-content-sha256": "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03",
      "authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-checksum-crc32;x-amz-content-sha256;x-amz-date;x-amz-sdk-checksum-algorithm, Signature=0000",
      "amz-sdk-invocation-id": "1cd27bcd-c10f-41be-bc5d-892a0d5fb814",
      "amz-sdk-request": "attempt=1",
      "content-length": "6"
    },
    "bodyHex": "68656c6c6f0a"
  },
  {
    "name": "CLI GET /bkt/a.txt",
    "method": "GET",
    "url": "/bkt/a.txt",
    "headers": {
      "host": "127.0.0.1:4600",
      "accept-encoding": "identity",
      "x-amz-checksum-mode": "ENABLED",
      "user-agent": "aws-cli/1.45.11 md/Botocore#1.43.11 ua/2.1 os/linux#6.18.44-fc-v657 md/arch#x86_64 lang/python#3.11.7 md/pyimpl#CPython m/Z,g,D,N,b cfg/retry-mode#legacy botocore/1.43.11",
      "x-amz-date": "20261126T121648Z",
      "x-amz-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-checksum-mode;x-amz-content-sha256;x-amz-date, Signature=0000",
      "amz-sdk-invocation-id": "5dd3ed68-85b5-412f-a11b-2e7198790095",
      "amz-sdk-request": "attempt=1"
    },
    "bodyHex": ""
  }
];

/** SDK PutObject with a stream body and ContentLength (wire doc 7.2), after HTTP de-chunking */
export const awsChunkedPut: CapturedRequest = {
  name: 'SDK PUT stream body (aws-chunked)',
  method: 'PUT',
  url: '/bkt/stream.txt?x-id=PutObject',
  headers: {
    host: '127.0.0.1:4599',
    'content-encoding': 'aws-chunked',
    'transfer-encoding': 'chunked',
    'x-amz-decoded-content-length': '12',
    'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
    'x-amz-trailer': 'x-amz-checksum-crc32',
    authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261126/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0000',
  },
  bodyHex: Buffer.from('6\r\nhello \r\n6\r\nstream\r\n0\r\nx-amz-checksum-crc32:gtnkmQ==\r\n\r\n', 'latin1').toString('hex'),
};
