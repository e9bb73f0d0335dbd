/** signing name → the AWS SDK v3 client package that speaks that service (for tests that walk every operation) */
export const SDK_CLIENTS: Record<string, { module: string; client: string; config?: object }> = {
  lambda: { module: '@aws-sdk/client-lambda', client: 'LambdaClient' },
  apigateway: { module: '@aws-sdk/client-api-gateway', client: 'APIGatewayClient' },
  s3: { module: '@aws-sdk/client-s3', client: 'S3Client', config: { forcePathStyle: true } },
  rekognition: { module: '@aws-sdk/client-rekognition', client: 'RekognitionClient' },
  monitoring: { module: '@aws-sdk/client-cloudwatch', client: 'CloudWatchClient' },
  codedeploy: { module: '@aws-sdk/client-codedeploy', client: 'CodeDeployClient' },
  // a dev dependency, for the tests only (the lab itself calls no STS)
  sts: { module: '@aws-sdk/client-sts', client: 'STSClient' },
};
