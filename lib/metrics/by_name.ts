// Metrics by their kebab-case names ('mean-iou', 'circularity', ...), for configuration files
// and the tfcv command: one place that maps a name and a few shared settings to a metric.
import { ArgumentError } from '../errors';
import { optionKeys } from '../option_keys';
import * as v from '../validate';
import { AvgPixelValue } from './avg_pixel_value';
import { BinaryAccuracy } from './binary_accuracy';
import { Circularity } from './circularity';
import { ConfusionMatrix } from './confusion_matrix';
import { Dice } from './dice';
import { IoU } from './iou';
import { MeanIoU } from './mean_iou';
import { MeanAveragePrecision } from './mean_average_precision';
import { Metric } from './metric';
import { EmptyPolicy, MaskConvention } from './options';
import { PixelAccuracy } from './pixel_accuracy';
import { Precision, Recall } from './precision_recall';
import { SegmentationAccuracy } from './segmentation_accuracy';

export type MetricName =
  | 'circularity'
  | 'segmentation-accuracy'
  | 'avg-pixel-value'
  | 'mean-iou'
  | 'iou'
  | 'dice'
  | 'pixel-accuracy'
  | 'binary-accuracy'
  | 'precision'
  | 'recall'
  | 'confusion-matrix'
  | 'mean-average-precision';

export const METRIC_NAMES: readonly MetricName[] = [
  'circularity',
  'segmentation-accuracy',
  'avg-pixel-value',
  'mean-iou',
  'iou',
  'dice',
  'pixel-accuracy',
  'binary-accuracy',
  'precision',
  'recall',
  'confusion-matrix',
];

/** Metrics of detections ({ boxes, classes, scores } per image) rather than of masks or images. */
export const DETECTION_METRIC_NAMES: readonly MetricName[] = ['mean-average-precision'];

export interface MetricSettings {
  /** Classes of the masks (confusion-matrix metrics). Default 2. */
  numClasses?: number;
  /** Probability threshold of one-channel predictions (and circularity / segmentation accuracy on float predictions). Default 0.5. */
  threshold?: number;
  /** Truth class left out of pixel metrics. */
  ignoreClass?: number | null;
  /** Circularity's policy for images without a contour. Default 'zero'. */
  emptyPolicy?: EmptyPolicy;
  /** SegmentationAccuracy's pixel count. Default 500. */
  minPixels?: number;
  /** How the confusion-matrix metrics read truth masks (their `masks` option). Default 'auto'. */
  masks?: MaskConvention;
}

const PIXEL_SETTINGS = ['numClasses', 'threshold', 'ignoreClass', 'masks'] as const;

/** The settings each metric reads (metricByName ignores the others, which other metrics read). */
export const METRIC_SETTING_KEYS: Readonly<Record<MetricName, readonly (keyof MetricSettings)[]>> = {
  circularity: ['threshold', 'emptyPolicy'],
  'segmentation-accuracy': ['threshold', 'minPixels'],
  'avg-pixel-value': [],
  'mean-iou': PIXEL_SETTINGS,
  iou: PIXEL_SETTINGS,
  dice: PIXEL_SETTINGS,
  'pixel-accuracy': PIXEL_SETTINGS,
  'binary-accuracy': ['threshold', 'ignoreClass', 'masks'],
  precision: PIXEL_SETTINGS,
  recall: PIXEL_SETTINGS,
  'confusion-matrix': PIXEL_SETTINGS,
  'mean-average-precision': [],
};

const SETTINGS_KEYS = optionKeys<MetricSettings>('metricByName', {
  numClasses: true,
  threshold: true,
  ignoreClass: true,
  emptyPolicy: true,
  minPixels: true,
  masks: true,
});

/** A metric from its name ('mean-iou', ...) and the settings shared by all of them. */
export function metricByName(name: MetricName, options?: MetricSettings): Metric {
  const settings = v.optionsObject(options, SETTINGS_KEYS, 'settings');
  const k = settings.numClasses ?? 2;
  const pixel = {
    ignoreClass: settings.ignoreClass ?? null,
    ...(settings.threshold === undefined ? {} : { threshold: settings.threshold }),
    ...(settings.masks === undefined ? {} : { masks: settings.masks }),
  };
  const image = settings.threshold === undefined ? {} : { threshold: settings.threshold };
  switch (name) {
    case 'circularity':
      return new Circularity({ ...image, emptyPolicy: settings.emptyPolicy ?? 'zero' });
    case 'segmentation-accuracy':
      return new SegmentationAccuracy({
        ...image,
        ...(settings.minPixels === undefined ? {} : { minPixels: settings.minPixels }),
      });
    case 'avg-pixel-value':
      return new AvgPixelValue();
    case 'mean-iou':
      return new MeanIoU(k, pixel);
    case 'iou':
      return new IoU(k, pixel);
    case 'dice':
      return new Dice(k, pixel);
    case 'pixel-accuracy':
      return new PixelAccuracy({ numClasses: k, ...pixel });
    case 'binary-accuracy':
      return new BinaryAccuracy(pixel);
    case 'precision':
      return new Precision({ numClasses: k, ...pixel });
    case 'recall':
      return new Recall({ numClasses: k, ...pixel });
    case 'confusion-matrix':
      return new ConfusionMatrix(k, pixel);
    case 'mean-average-precision':
      return new MeanAveragePrecision();
    default:
      throw new ArgumentError(
        `metric: expected one of ${[...METRIC_NAMES, ...DETECTION_METRIC_NAMES].join(', ')}, got ${v.describe(name)}`,
      );
  }
}
