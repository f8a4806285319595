#!/usr/bin/env python3
"""Baseline for bench/model-latency.js: Python TensorFlow 2.21 on the same SavedModel, called
the way the original users call it (tf.saved_model.load(dir).signatures['serving_default'] on
a tf.constant), with tfcv's default thread counts, so tfcv can be compared with the Python
pipeline it replaces.

Runs in the fixture venv (scripts/fixtures/setup_venv.sh: tensorflow-cpu 2.21); started with
any other python3 it re-executes itself there (creating the venv first if needed).

usage: tf_python.py MODEL SHAPE TIME_MS   (MODEL tiny|mobilenet, SHAPE e.g. 1,224,224,3)
       tf_python.py --prepare             (venv + models only)
stdout: one JSON line, {"median_ms":…,"p99_ms":…,"iterations":…} or {"error":"…"} (exit 0).
"""
import importlib.metadata
import json
import os
import subprocess
import sys
import time
from pathlib import Path

TF_VERSION = "2.21.0"
ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("TFCV_CACHE") or Path.home() / ".cache/tfcv")
INPUT_SHAPES = {"tiny": [32, 32, 3], "mobilenet": [224, 224, 3]}

# stdout carries exactly one JSON line: keep fd 1 for it and send everything else, Python's or
# TensorFlow's native logging, to stderr.
_result_fd = os.dup(1)
os.dup2(2, 1)
sys.stdout = sys.stderr


def emit(obj):
    os.write(_result_fd, (json.dumps(obj) + "\n").encode())


def log(message):
    print(f"tf_python baseline: {message}", file=sys.stderr, flush=True)


class Unavailable(Exception):
    pass


def in_venv():
    try:
        return importlib.metadata.version("tensorflow-cpu") == TF_VERSION
    except importlib.metadata.PackageNotFoundError:
        return False


def reexec_in_venv():
    if os.environ.get("TFCV_TF_PYTHON_REEXEC"):
        raise Unavailable(f"{sys.executable} has no tensorflow-cpu=={TF_VERSION}")
    out = subprocess.run(["bash", str(ROOT / "scripts/fixtures/setup_venv.sh")], stdout=subprocess.PIPE, text=True)
    lines = out.stdout.strip().splitlines()
    if out.returncode != 0 or not lines or not Path(lines[-1]).exists():
        raise Unavailable("the Python venv with TensorFlow could not be set up (scripts/fixtures/setup_venv.sh)")
    os.environ["TFCV_TF_PYTHON_REEXEC"] = "1"
    os.dup2(_result_fd, 1)  # the child writes its own result line
    os.execv(lines[-1], [lines[-1], str(Path(__file__).resolve()), *sys.argv[1:]])


def model_dir(model):
    if model == "tiny":
        return ROOT / "test/fixtures/models/cnn_keras"
    path = CACHE / "bench-models/mobilenet_v2"
    if not (path / "saved_model.pb").exists():
        log(f"generating the MobileNetV2 SavedModel in {path}")
        r = subprocess.run([sys.executable, str(ROOT / "bench/models/make_mobilenet.py"), str(path)])
        if r.returncode != 0:
            raise Unavailable(f"generating MobileNetV2 failed (make_mobilenet.py exit {r.returncode})")
    return path


def parse_args(argv):
    if len(argv) != 3 or argv[0] not in INPUT_SHAPES:
        raise Unavailable(f"usage: MODEL SHAPE TIME_MS (MODEL: {'|'.join(INPUT_SHAPES)}; got {' '.join(argv)})")
    model, shape_arg, time_arg = argv
    want = INPUT_SHAPES[model]
    try:
        shape = [int(d) for d in shape_arg.split(",")]
        time_ms = float(time_arg)
    except ValueError:
        raise Unavailable(f"SHAPE must be N,{','.join(map(str, want))} and TIME_MS a number (got {shape_arg} {time_arg})")
    if len(shape) != 4 or shape[0] < 1 or shape[1:] != want:
        raise Unavailable(f"SHAPE must be N,{','.join(map(str, want))} for {model} (got {shape_arg})")
    if not time_ms > 0:
        raise Unavailable(f"TIME_MS must be positive (got {time_arg})")
    return model, shape, time_ms


def cores():
    try:
        return len(os.sched_getaffinity(0))  # what Node's os.availableParallelism() counts
    except AttributeError:
        return os.cpu_count() or 1


def stats(samples):
    s = sorted(samples)
    return {"median_ms": s[len(s) // 2], "p99_ms": s[min(len(s) - 1, int(len(s) * 0.99))], "iterations": len(s)}


def bench(model, shape, time_ms):
    directory = model_dir(model)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import numpy as np
    import tensorflow as tf

    # tfcv's session defaults: intra-op = cores, inter-op = min(2, cores). Must precede any op.
    n = cores()
    tf.config.threading.set_intra_op_parallelism_threads(n)
    tf.config.threading.set_inter_op_parallelism_threads(min(2, n))

    loaded = tf.saved_model.load(str(directory))  # keep a reference: it owns the variables
    fn = loaded.signatures["serving_default"]
    key = next(iter(fn.structured_input_signature[1]))
    x = tf.constant(np.full(shape, 0.5, np.float32))

    def once():
        out = fn(**{key: x})
        for t in out.values():
            t.numpy()  # what a caller does next: read the result

    y = fn(**{key: x})
    log(f"{directory.name}: {key} {shape} -> {[(k, v.shape.as_list()) for k, v in y.items()]}, "
        f"TensorFlow {tf.__version__}, threads intra {tf.config.threading.get_intra_op_parallelism_threads()} "
        f"inter {tf.config.threading.get_inter_op_parallelism_threads()}")

    budget = time_ms / 1000
    warmup_until = time.perf_counter() + min(budget / 10, 1.0)
    i = 0
    while i < 10 or time.perf_counter() < warmup_until:
        once()
        i += 1
    samples = []
    end = time.perf_counter() + budget
    while len(samples) < 30 or (time.perf_counter() < end and len(samples) < 1_000_000):
        t0 = time.perf_counter_ns()
        once()
        samples.append((time.perf_counter_ns() - t0) / 1e6)
    return stats(samples)


def main():
    argv = sys.argv[1:]
    if not in_venv():
        reexec_in_venv()
    if argv[:1] == ["--prepare"]:
        model_dir("mobilenet")
        return {"ok": True}
    return bench(*parse_args(argv))


if __name__ == "__main__":
    try:
        result = main()
    except Unavailable as e:
        result = {"error": str(e)}
    except Exception as e:  # noqa: BLE001 — any failure is reported, not raised
        import traceback
        traceback.print_exc()
        result = {"error": f"{type(e).__name__}: {e}"}
    emit(result)
