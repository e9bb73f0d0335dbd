// POST /getinfo {"bucket": "...", "key": "..."} → the
// celebrities and labels Rekognition finds in that S3 image.
import {
  RekognitionClient,
  RecognizeCelebritiesCommand,
  DetectLabelsCommand,
} from '@aws-sdk/client-rekognition';

// Which code answered: the lab counts live answers
// per version while CodeDeploy shifts traffic.
const APP_VERSION = 1;

// Created once per execution environment
// and reused by every invocation it serves.
const rekognition = new RekognitionClient({});

// Every answer names the app version and the Lambda version
// that served it (in the body and in headers), so a weighted
// alias's split can be seen from outside with curl.
const respond = (statusCode, body, context) => ({
  statusCode,
  headers: {
    'Access-Control-Allow-Origin': '*',
    'Content-Type': 'application/json',
    'X-App-Version': String(APP_VERSION),
    'X-Function-Version': context.functionVersion,
  },
  body: JSON.stringify({
    ...body,
    ServedBy: {
      AppVersion: APP_VERSION,
      FunctionVersion: context.functionVersion,
    },
  }),
});

// What a request body looks like, as the 400 answers say it.
const BODY_SHAPE = '{"bucket": "<bucket>", "key": "<image key>"}';

/**
 * The image named by the request body, or
 * a message saying what is wrong with it.
 */
function readRequest(event) {
  let body;
  try {
    const text = event.isBase64Encoded
      ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
      : event.body;
    body = JSON.parse(text ?? '');
  } catch {
    return { error: `The request body must be JSON: ${BODY_SHAPE}` };
  }
  if (
    typeof body?.bucket !== 'string' || body.bucket === '' ||
    typeof body?.key !== 'string' || body.key === ''
  ) {
    const needs = 'The request body needs "bucket" and "key" (strings)';
    return { error: `${needs}: ${BODY_SHAPE}` };
  }
  // Keys may arrive URL-encoded, with + for
  // spaces, as S3 event notifications write them.
  const key = decodeURIComponent(body.key.replace(/\+/g, ' '));
  return { image: { S3Object: { Bucket: body.bucket, Name: key } } };
}

export const handler = async (event, context) => {
  const request = readRequest(event);
  if (request.error) return respond(400, { message: request.error }, context);
  try {
    const result = await rekognition.send(
      new RecognizeCelebritiesCommand({ Image: request.image }),
    );
    const labels = await rekognition.send(
      new DetectLabelsCommand({ Image: request.image }),
    );
    return respond(200, {
      CelebrityFaces: result.CelebrityFaces ?? [],
      UnrecognizedFaces: result.UnrecognizedFaces ?? [],
      Labels: labels.Labels ?? [],
    }, context);
  } catch (err) {
    // As the workshop does: pass AWS's status
    // through (e.g. 400 for a missing S3 object).
    const status = err?.$metadata?.httpStatusCode ?? 500;
    return respond(
      status,
      { name: err?.name ?? 'Error', message: err?.message ?? String(err) },
      context,
    );
  }
};
