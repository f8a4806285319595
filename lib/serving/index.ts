// Serving models like TF Serving, in-process: the model repository (versions, policies,
// labels, polling, warm-up, memory budget) and the protocols over it as request handlers.
export { ModelRepository } from './repository';
export type {
  ModelConfig,
  RepositoryOptions,
  VersionSelector,
  ModelStatus,
  VersionStatus,
  ReloadReport,
} from './repository';
export { ModelVersion } from './model_version';
export type { VersionState, VersionBatcherOptions, ServingFeed } from './model_version';
export type { VersionPolicy } from './version_policy';
export { ServingError } from './serving_error';
export type { ServingStatus } from './serving_error';
export { createServingHandler } from './serving_handler';
export type { ServingHandler, ServingHandlerOptions } from './serving_handler';
export type { ServingRequest, ServingResponse } from './protocol_types';
export type { ServingMetrics } from './serving_metrics';
export type { ImageTask, ImageTaskOptions } from './image_route';
export type { HostTensor } from './host_tensor';
export { readTfRecords, writeTfRecords, maskedCrc32c } from './tfrecord';
export { readWarmupRequests, WARMUP_FILE } from './warmup_requests';
export type { WarmupRequest } from './warmup_requests';
export { parseModelConfigText } from './model_config_text';
