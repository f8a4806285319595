// The metric classes (each registers itself with Metric.fromJSON when loaded).
import './receivers';
export { Metric } from './metric';
export type { MetricResult, MetricJSON, MetricState, TruthInput, TruthKind } from './metric';
export type { MetricInput, LabelInput, SampleWeight } from './inputs';
export type { EmptyPolicy, Threshold, PredictionKind, MaskConvention } from './options';
export { Circularity } from './circularity';
export type { CircularityOptions, CircularityResult } from './circularity';
export { SegmentationAccuracy } from './segmentation_accuracy';
export type { SegmentationAccuracyOptions, SegmentationAccuracyResult } from './segmentation_accuracy';
export { AvgPixelValue } from './avg_pixel_value';
export type { AvgPixelValueOptions, AvgPixelValueResult } from './avg_pixel_value';
export { ConfusionMetric } from './confusion_base';
export type { ConfusionOptions, ConfusionConfig } from './confusion_base';
export { MeanIoU } from './mean_iou';
export type { IoUOptions, IoUResult } from './mean_iou';
export { IoU } from './iou';
export type { PerClassIoUOptions } from './iou';
export { Dice } from './dice';
export type { DiceOptions, DiceResult } from './dice';
export { PixelAccuracy } from './pixel_accuracy';
export type { PixelAccuracyOptions, AccuracyResult } from './pixel_accuracy';
export { BinaryAccuracy } from './binary_accuracy';
export type { BinaryOptions } from './binary_accuracy';
export { Precision, Recall } from './precision_recall';
export type { PrecisionRecallOptions, PrecisionResult, RecallResult } from './precision_recall';
export { ConfusionMatrix } from './confusion_matrix';
export type { ConfusionMatrixResult } from './confusion_matrix';
export { MeanAveragePrecision } from './mean_average_precision';
export type {
  MeanAveragePrecisionOptions,
  MeanAveragePrecisionResult,
  CocoStats,
  DetectionTruth,
  DetectionPrediction,
} from './mean_average_precision';
export { DetectionConfusionMatrix } from './detection_confusion_matrix';
export type {
  DetectionConfusionMatrixOptions,
  DetectionConfusionMatrixResult,
  DetectionClassCounts,
} from './detection_confusion_matrix';
export type { DetectionCurves, ClassCurves, OperatingPoint } from './detection_curves';
export type { ImageOutcomes, PredictionOutcome, TruthOutcome } from '../detection/confusion_match';
export { CalibrationError } from './calibration_error';
export type { CalibrationErrorOptions, CalibrationErrorResult, CalibrationBin } from './calibration_error';
export { metricByName, METRIC_NAMES, DETECTION_METRIC_NAMES } from './by_name';
export type { MetricName, MetricSettings } from './by_name';
export {
  circularity,
  circularitySync,
  foregroundFraction,
  foregroundFractionSync,
  meanIoU,
  meanIoUSync,
  dice,
  diceSync,
} from './one_shot';
export type {
  OneImage,
  CircularityOfOptions,
  ForegroundFractionOptions,
  MeanIoUOfOptions,
  DiceOfOptions,
} from './one_shot';

// Only the metric machinery may call the subclass hooks (see guardMetricHooks).
import { Metric as C0, guardMetricHooks } from './metric';
import { Circularity as C1 } from './circularity';
import { SegmentationAccuracy as C2 } from './segmentation_accuracy';
import { AvgPixelValue as C3 } from './avg_pixel_value';
import { ConfusionMetric as C4 } from './confusion_base';
import { MeanIoU as C5 } from './mean_iou';
import { IoU as C6 } from './iou';
import { Dice as C7 } from './dice';
import { PixelAccuracy as C8 } from './pixel_accuracy';
import { BinaryAccuracy as C9 } from './binary_accuracy';
import { Precision as C10, Recall as C11 } from './precision_recall';
import { ConfusionMatrix as C12 } from './confusion_matrix';
import { MeanAveragePrecision as C13 } from './mean_average_precision';
import { DetectionConfusionMatrix as C14 } from './detection_confusion_matrix';
import { CalibrationError as C15 } from './calibration_error';
for (const cls of [C0, C1, C2, C3, C4, C5, C6, C7, C8, C9, C10, C11, C12, C13, C14, C15]) guardMetricHooks(cls);
