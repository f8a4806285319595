#!/usr/bin/env python3
"""Python side of bench/metrics.js: the seeds' approach, as the original code computed the
metrics — a cv2 loop per mask for circularity, Keras' MeanIoU (update_state per batch) when
TensorFlow is installed, and a NumPy bincount loop. Reads the raw masks the bench wrote and
prints timings as JSON. KERAS_ITERATIONS 0 skips Keras (the bench runs it in one round only:
it takes seconds per pass).

    python metrics_cv2.py MASKS.raw PREDICTED.raw N H W ITERATIONS BATCH [KERAS_ITERATIONS]
"""
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import cv2  # noqa: E402
import numpy as np  # noqa: E402


def circularity(mask):
    _, binary = cv2.threshold(mask, 127, 255, cv2.THRESH_BINARY)
    contours, _ = cv2.findContours(binary, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return 0.0
    largest = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(largest)
    perimeter = cv2.arcLength(largest, True)
    return 0.0 if perimeter == 0 else 4 * np.pi * area / perimeter ** 2


def timed(fn, iterations):
    # One untimed pass first: a fresh process pays for first calls and first touches.
    value = fn()
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        value = fn()
        times.append((time.perf_counter() - start) * 1000)
    return times, value


def main():
    masks_path, predicted_path, n, h, w, iterations, batch = sys.argv[1:8]
    n, h, w, iterations, batch = int(n), int(h), int(w), int(iterations), int(batch)
    keras_iterations = int(sys.argv[8]) if len(sys.argv) > 8 else iterations
    masks = np.fromfile(masks_path, np.uint8).reshape(n, h, w)
    predicted = np.fromfile(predicted_path, np.uint8).reshape(n, h, w)
    truth = (masks > 127).astype(np.uint8)  # class ids (the same as the bench's truth.raw)
    out = {"cv2": cv2.__version__, "numpy": np.__version__}

    out["circularity_ms"], mean = timed(lambda: float(np.mean([circularity(m) for m in masks])), iterations)
    out["circularity_mean"] = mean

    def bincount_iou():
        cm = np.zeros(4, np.int64)
        for t, p in zip(truth, predicted):
            cm += np.bincount((t.ravel().astype(np.int64) * 2 + p.ravel()), minlength=4)
        tp = cm[[0, 3]]
        union = np.array([cm[0] + cm[1] + cm[2], cm[3] + cm[1] + cm[2]])
        return float(np.mean(tp / union))

    out["numpy_mean_iou_ms"], out["numpy_mean_iou"] = timed(bincount_iou, iterations)

    if keras_iterations == 0:
        print(json.dumps(out))
        return
    try:
        import keras  # noqa: F401
        import tensorflow as tf
    except ImportError as error:
        out["keras"] = f"n/a: {error}"
    else:
        out["keras"] = keras.__version__

        def keras_iou():
            metric = keras.metrics.MeanIoU(num_classes=2)
            for start in range(0, n, batch):
                metric.update_state(truth[start:start + batch], predicted[start:start + batch])
            return float(metric.result())

        out["keras_mean_iou_ms"], out["keras_mean_iou"] = timed(keras_iou, keras_iterations)
        out["tensorflow"] = tf.__version__
    print(json.dumps(out))


if __name__ == "__main__":
    main()
