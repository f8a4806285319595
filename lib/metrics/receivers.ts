// Wrong-`this` calls on the metric classes (a method taken off its metric) are
// ArgumentErrors: every exported metric class's prototype is guarded here, once all of
// them are defined, with Metric's brand and the class itself as the check.
import { guardReceivers } from '../receiver';
import { Metric } from './metric';
import { Circularity } from './circularity';
import { SegmentationAccuracy } from './segmentation_accuracy';
import { AvgPixelValue } from './avg_pixel_value';
import { ConfusionMetric } from './confusion_base';
import { MeanIoU } from './mean_iou';
import { IoU } from './iou';
import { Dice } from './dice';
import { PixelAccuracy } from './pixel_accuracy';
import { BinaryAccuracy } from './binary_accuracy';
import { Precision, Recall } from './precision_recall';
import { ConfusionMatrix } from './confusion_matrix';
import { MeanAveragePrecision } from './mean_average_precision';
import { DetectionConfusionMatrix } from './detection_confusion_matrix';
import { CalibrationError } from './calibration_error';

const classes = [
  Metric,
  Circularity,
  SegmentationAccuracy,
  AvgPixelValue,
  ConfusionMetric,
  MeanIoU,
  IoU,
  Dice,
  PixelAccuracy,
  BinaryAccuracy,
  Precision,
  Recall,
  ConfusionMatrix,
  MeanAveragePrecision,
  DetectionConfusionMatrix,
  CalibrationError,
];
for (const cls of classes) guardReceivers(cls, (x) => Metric.isMetric(x) && x instanceof cls);
