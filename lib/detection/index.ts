// Object detection: boxes from model outputs, non-maximum suppression, drawing
// (mat.drawDetections, attached to Mat when this module loads). The COCO metric lives with
// the other metrics (MeanAveragePrecision).
import './draw_detections';

export { nms, nmsSync, NMS_MAX_COMPARISONS } from './nms';
export type { NmsOptions } from './nms';
export { boxesFromTensor } from './boxes_from_tensor';
export type { BoxesFromTensorOptions, BoxGeometry } from './boxes_from_tensor';
export { BOX_FORMATS } from './boxes';
export type { BoxFormat, BoxesInput } from './boxes';
export type { DrawDetectionsOptions } from './draw_detections';
