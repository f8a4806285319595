#!/usr/bin/env python3
"""Builds the MobileNetV2-224 SavedModel the latency benchmarks run (not committed: ~14 MB).

Random weights (keras.applications with weights=None: nothing is downloaded), then the
batch-norm moving statistics are calibrated on a few synthetic images so that outputs
depend on the input the way a trained network's do (with untouched statistics, BN would
squash activations and every image would give nearly the same logits).

Usage: python make_mobilenet.py OUT_DIR
"""
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402


def main(out_dir: str) -> None:
    keras.utils.set_random_seed(7)
    model = keras.applications.MobileNetV2(input_shape=(224, 224, 3), weights=None, classes=1000)
    rng = np.random.default_rng(7)
    # Smooth random "photos": low-frequency noise upsampled, in [-1, 1] like MobileNet's preprocessing.
    low = rng.uniform(-1, 1, size=(32, 7, 7, 3)).astype("float32")
    images = tf.image.resize(low, (224, 224), method="bicubic").numpy().clip(-1, 1)
    # A few forward passes in training mode update BN moving statistics (momentum 0.999 is
    # slow, so set momentum low for calibration only).
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.momentum = 0.0
    model(images, training=True)
    model.export(out_dir, verbose=False)
    logits = model.predict(images[:2], verbose=0)
    print(f"saved {out_dir}; logits std across 2 images: {float(np.std(logits[0] - logits[1])):.4f}")


if __name__ == "__main__":
    main(sys.argv[1])
