// Per-class IoU (Keras' IoU metric): the IoU of each class from the pixel confusion matrix,
// and as the headline value their mean over `targetClassIds` (classes with a defined IoU).
import { ConfusionMetric, CONFUSION_TABLE, confusionConfig } from './confusion_base';
import { optionKeys } from '../option_keys';
import { IoUOptions, IoUResult, iouOf } from './mean_iou';
import { registerMetricKind } from './metric';
import * as opt from './options';
import { ArgumentError } from '../errors';
import * as v from '../validate';
import { formatList } from './format_number';

export interface PerClassIoUOptions extends IoUOptions {
  /** The classes whose IoU is averaged into `value`. Default: every class. */
  targetClassIds?: readonly number[];
}

const KEYS = optionKeys<PerClassIoUOptions>('new IoU', { ...CONFUSION_TABLE, emptyPolicy: true, targetClassIds: true });

/** IoU per class (Keras' IoU): `value` is the mean over targetClassIds. */
export class IoU extends ConfusionMetric<IoUResult> {
  readonly kind = 'IoU';

  constructor(numClasses: number, options?: PerClassIoUOptions) {
    const o = opt.metricOptions(options, KEYS);
    const k = opt.numClasses(numClasses);
    super(o.name, 'iou', {
      ...confusionConfig(k, o),
      emptyPolicy: opt.emptyPolicy(o.emptyPolicy, ['zero', 'nan'] as const, 'zero'),
      targetClassIds: targetClassIds(o.targetClassIds, k),
    });
  }

  /** @internal */
  protected resultOf(matrix: Float64Array): IoUResult {
    return iouOf(
      matrix,
      this.config.numClasses,
      this.config.targetClassIds as number[],
      this.config.emptyPolicy as 'zero' | 'nan',
    );
  }

  /** The counts behind the value, for the results table. */
  protected override detailsOf(r: IoUResult): string {
    return `per class: ${formatList(r.perClass)}`;
  }
}

/** @internal */
export function targetClassIds(value: unknown, k: number): number[] {
  if (value === undefined) return Array.from({ length: k }, (_, c) => c);
  if (!Array.isArray(value) || value.length === 0) {
    throw new ArgumentError(
      `options.targetClassIds: expected a non-empty array of class ids, got ${v.describe(value)}`,
    );
  }
  return v
    .arrayItems(value, 'options.targetClassIds', 4096)
    .map((c, i) => opt.classId(c, `options.targetClassIds[${i}]`, k));
}

registerMetricKind(
  'IoU',
  ({ numClasses, ...rest }, name) => new IoU(numClasses as number, { ...(rest as PerClassIoUOptions), name }),
);
