#!/usr/bin/env python3
"""End-to-end baseline for bench/end-to-end.js, written the way the original Python users do
it: cv2.imdecode -> cv2.resize -> BGR->RGB -> float32 in [-1, 1] -> the SavedModel's
serving_default signature -> top-5 with NumPy. Thread counts as tfcv's defaults.

usage: e2e_python.py SAVED_MODEL_DIR JPEG_FILE SIZE TIME_MS
Prints one JSON line: {"median_ms":…,"p99_ms":…,"iterations":…} or {"error":…}.
"""
import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def main() -> None:
    model_dir, jpeg_path, size, time_ms = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    try:
        import cv2
        import numpy as np
        import tensorflow as tf
    except ImportError as error:  # not the venv
        print(json.dumps({"error": f"python without TensorFlow/cv2: {error}"}))
        return
    cores = len(os.sched_getaffinity(0))
    tf.config.threading.set_intra_op_parallelism_threads(cores)
    tf.config.threading.set_inter_op_parallelism_threads(min(2, cores))
    fn = tf.saved_model.load(model_dir).signatures["serving_default"]
    input_key = list(fn.structured_input_signature[1].keys())[0]
    jpeg = np.frombuffer(open(jpeg_path, "rb").read(), dtype=np.uint8)

    def once() -> None:
        bgr = cv2.imdecode(jpeg, cv2.IMREAD_COLOR)
        rgb = cv2.cvtColor(cv2.resize(bgr, (size, size), interpolation=cv2.INTER_LINEAR), cv2.COLOR_BGR2RGB)
        x = rgb.astype(np.float32) * (2.0 / 255.0) - 1.0
        out = fn(**{input_key: tf.constant(x[None])})
        scores = next(iter(out.values())).numpy()[0]
        np.argpartition(-scores, 5)[:5]

    for _ in range(5):
        once()
    samples = []
    deadline = time.perf_counter() + time_ms / 1000
    while time.perf_counter() < deadline or len(samples) < 30:
        start = time.perf_counter()
        once()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    n = len(samples)
    print(json.dumps({"median_ms": samples[n // 2], "p99_ms": samples[min(n - 1, int(0.99 * n))], "iterations": n}))


if __name__ == "__main__":
    main()
