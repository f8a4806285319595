"""The Python baseline of bench/stream.js: the seeds' stack, cv2.VideoCapture reading a file
and TensorFlow running the detector in one loop (read, resize to the model input, RGB,
/255, run, per-class NMS with cv2.dnn.NMSBoxes, boxes back to frame pixels). Capture-to-
result latency runs from cap.read() returning to the boxes. Prints one JSON line.

    python bench/python/stream_cv2_tf.py VIDEO MODEL_DIR [--realtime] [--pad-ms MS]

--realtime: frame i is due at start + i / fps (a live source); its latency counts from then,
so a loop slower than the source shows its growing lag. --pad-ms: each run takes at least
this long (a slower model, as bench/stream.js pads tfcv's).
"""
import json
import sys
import time

import cv2
import numpy as np
import tensorflow as tf


def main():
    video, model_dir = sys.argv[1], sys.argv[2]
    realtime = "--realtime" in sys.argv
    pad_ms = float(sys.argv[sys.argv.index("--pad-ms") + 1]) if "--pad-ms" in sys.argv else 0.0
    model = tf.saved_model.load(model_dir)
    fn = model.signatures["serving_default"]
    key = list(fn.structured_input_signature[1].keys())[0]
    h, w = fn.structured_input_signature[1][key].shape[1:3]
    fn(**{key: tf.zeros([1, h, w, 3], tf.float32)})  # warm-up, as tfcv's batcher warmup
    cap = cv2.VideoCapture(video, cv2.CAP_FFMPEG)
    fps_nominal = cap.get(cv2.CAP_PROP_FPS) or 30.0
    latencies, frames, boxes_total = [], 0, 0
    start = time.perf_counter()
    while True:
        due = start + frames / fps_nominal
        if realtime:
            now = time.perf_counter()
            if due > now:
                time.sleep(due - now)
        ok, frame = cap.read()
        if not ok:
            break
        t_cap = due if realtime else time.perf_counter()
        t_run = time.perf_counter()
        rows, cols = frame.shape[:2]
        x = cv2.cvtColor(cv2.resize(frame, (w, h), interpolation=cv2.INTER_LINEAR), cv2.COLOR_BGR2RGB)
        x = x.astype(np.float32)[None] / 255.0
        out = fn(**{key: tf.constant(x)})
        b = out["detection_boxes"].numpy()[0]
        s = out["detection_scores"].numpy()[0]
        c = np.round(out["detection_classes"].numpy()[0]).astype(np.int32)
        xywh = np.stack([b[:, 1] * cols, b[:, 0] * rows, (b[:, 3] - b[:, 1]) * cols, (b[:, 2] - b[:, 0]) * rows], 1)
        kept = 0
        for cls in np.unique(c):
            idx = np.where(c == cls)[0]
            keep = cv2.dnn.NMSBoxes(xywh[idx].tolist(), s[idx].tolist(), 0.3, 0.5)
            kept += len(keep)
        boxes_total += kept
        left = pad_ms / 1000 - (time.perf_counter() - t_run)
        if left > 0:
            time.sleep(left)
        latencies.append((time.perf_counter() - t_cap) * 1000)
        frames += 1
    total = time.perf_counter() - start
    lat = np.array(latencies)
    print(json.dumps({
        "frames": frames,
        "fps": frames / total,
        "p50": float(np.percentile(lat, 50)),
        "p99": float(np.percentile(lat, 99)),
        "boxes": boxes_total,
        "tensorflow": tf.__version__,
        "opencv": cv2.__version__,
    }))


if __name__ == "__main__":
    main()
