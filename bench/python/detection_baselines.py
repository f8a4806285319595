#!/usr/bin/env python3
"""Python baselines of bench/detection.js, timed in this process around the library calls.

  map   data.json passes: pycocotools COCOeval (bbox) over a COCO-format ground truth dict
        and detection list (JSON parsing untimed; COCO index + loadRes + evaluate +
        accumulate + summarize timed), and faster-coco-eval the same way when installed.
  nms   boxes.f64 scores.f32 count iou scoreThreshold passes: cv2.dnn.NMSBoxes.
Prints one JSON line. Run with the venv of scripts/fixtures/setup_venv.sh plus
`pip install --retries 0 --timeout 5 pycocotools faster-coco-eval`.
"""

import contextlib
import io
import json
import sys
import time

import numpy as np


def coco_run(COCO, COCOeval, gt, dets):
    with contextlib.redirect_stdout(io.StringIO()):
        coco_gt = COCO()
        coco_gt.dataset = gt
        coco_gt.createIndex()
        coco_dt = coco_gt.loadRes(dets)
        ev = COCOeval(coco_gt, coco_dt, "bbox")
        ev.evaluate()
        ev.accumulate()
        ev.summarize()
    return [float(s) for s in ev.stats]


def bench_map(path, passes):
    with open(path) as f:
        doc = json.load(f)
    gt, dets = doc["gt"], doc["dets"]
    out = {}
    libraries = []
    try:
        import pycocotools
        from pycocotools.coco import COCO
        from pycocotools.cocoeval import COCOeval
        libraries.append(("pycocotools", COCO, COCOeval, getattr(pycocotools, "__version__", "2.x")))
    except ImportError as error:
        out["pycocotools"] = {"error": f"not installed: {error}"}
    try:
        import faster_coco_eval
        from faster_coco_eval import COCO as FCOCO, COCOeval_faster
        libraries.append(("faster-coco-eval", FCOCO, COCOeval_faster, faster_coco_eval.__version__))
    except ImportError as error:
        out["faster-coco-eval"] = {"error": f"not installed: {error}"}
    for name, COCO, COCOeval, version in libraries:
        times, stats = [], None
        for _ in range(passes):
            # Fresh copies: loadRes and createIndex add fields to the dicts they are given.
            g, d = json.loads(json.dumps(gt)), json.loads(json.dumps(dets))
            t0 = time.perf_counter()
            stats = coco_run(COCO, COCOeval, g, d)
            times.append((time.perf_counter() - t0) * 1000)
        out[name] = {"ms": times, "stats": stats, "version": version}
    return out


def bench_nms(boxes_file, scores_file, count, iou, score_threshold, passes):
    import cv2
    boxes = np.fromfile(boxes_file, dtype=np.float64).reshape(count, 4)
    scores = np.fromfile(scores_file, dtype=np.float32)
    rects = [tuple(b) for b in boxes.tolist()]
    score_list = scores.tolist()
    times, kept = [], None
    for _ in range(passes):
        t0 = time.perf_counter()
        kept = cv2.dnn.NMSBoxes(rects, score_list, score_threshold, iou)
        times.append((time.perf_counter() - t0) * 1000)
    return {"cv2": {"ms": times, "kept": [int(i) for i in np.array(kept).reshape(-1)], "version": cv2.__version__}}


if __name__ == "__main__":
    if sys.argv[1] == "map":
        print(json.dumps(bench_map(sys.argv[2], int(sys.argv[3]))))
    else:
        a = sys.argv[2:]
        print(json.dumps(bench_nms(a[0], a[1], int(a[2]), float(a[3]), float(a[4]), int(a[5]))))
