// Live streams: video sources decoded by ffmpeg, a pipeline with a flow policy, per-frame
// detection / inspection, drawing and sinks (MJPEG over HTTP, an encoded file, server-sent events).
export { StreamError } from './errors';
export type { StreamErrorReason } from './errors';
export { findFfmpeg } from './ffmpeg_path';
export { openVideo, VideoSource } from './video_source';
export type {
  VideoSourceOptions,
  VideoFrame,
  VideoSourceStats,
  PixelFormat,
  Pacing,
  SourceKind,
  ReconnectPolicy,
} from './video_source';
export { streamPipeline, StreamPipeline } from './pipeline';
export type { FlowPolicy, PipelineOptions, PipelineResult } from './pipeline';
export type { PipelineStats, StreamCounters, Percentiles } from './pipeline_stats';
export { detector } from './detector';
export type { Detector, DetectorOptions, Detections } from './detector';
export { inspector, judgePart } from './inspector';
export type { Inspector, InspectorOptions, Inspection, InspectedPart, InspectionRule } from './inspector';
export { annotate } from './annotate';
export type { AnnotateOptions } from './annotate';
export { MjpegSink } from './mjpeg_sink';
export type { MjpegSinkStats } from './mjpeg_sink';
export { EventSink } from './event_sink';
export { VideoWriter } from './video_writer';
export type { VideoWriterOptions } from './video_writer';
export { writeSampleVideo, sampleFrame, sampleShapes } from './sample_video';
export type { SampleVideoOptions, SampleShape } from './sample_video';
export { pipelineMetrics } from './prometheus';
