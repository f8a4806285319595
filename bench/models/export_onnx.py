#!/usr/bin/env python3
"""Exports the latency benchmark's models to ONNX for the onnxruntime-node baseline.

Why this exists: bench/baselines/onnxruntime-node.js compares tfcv with ONNX Runtime on
the same networks, but tf2onnx is not available here. Keras 3 exports ONNX through its
torch backend (torch.onnx's dynamo exporter), so the networks are rebuilt under
KERAS_BACKEND=torch and exported from there. To make it the *same* model rather than a
look-alike, the weights are copied from the TensorFlow SavedModels the other runtimes load
(read with the fixture venv's TensorFlow), and the exported network is checked against
TensorFlow's output before anything is written.

Models (names as the benchmark runners use them):
  tiny       test/fixtures/models/cnn_keras (input 'image', [N,32,32,3] -> [N,10])
  mobilenet  ${TFCV_CACHE}/bench-models/mobilenet_v2 (made by make_mobilenet.py if missing)
Writes, per model and batch size, a static-shape graph (what Keras' torch export produces;
ONNX Runtime gets its best case from fixed shapes) and a sidecar with TensorFlow's output:
  OUT/tiny_cnn_b{N}.onnx, OUT/tiny_cnn_b{N}.json, OUT/mobilenet_v2_b{N}.onnx, ...

Two Python environments are involved and neither is modified by the other:
  the fixture venv (scripts/fixtures/setup_venv.sh: tensorflow-cpu, keras) reads weights;
  ${TFCV_CACHE}/venv-onnx (torch CPU build, keras, onnx, onnxscript; created here on first
  use from the configured pip index) exports. Run it with any python3: it drives both.

Usage: python3 export_onnx.py [--models tiny,mobilenet] [--batches 1,8] [--out DIR] [--force]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("TFCV_CACHE") or Path.home() / ".cache/tfcv")
ONNX_VENV = CACHE / "venv-onnx"
PIP_FLAGS = ["--retries", "0", "--timeout", "5", "--disable-pip-version-check", "-q"]

MODELS = {
    "tiny": {"stem": "tiny_cnn", "saved_model": ROOT / "test/fixtures/models/cnn_keras"},
    "mobilenet": {"stem": "mobilenet_v2", "saved_model": CACHE / "bench-models/mobilenet_v2"},
}


def log(message):
    print(f"export_onnx: {message}", file=sys.stderr, flush=True)


def run(cmd, **kwargs):
    # Children's stdout goes to our stderr: stdout is reserved for the final summary line.
    result = subprocess.run([str(c) for c in cmd], stdout=sys.stderr, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(f"'{' '.join(str(c) for c in cmd[:3])} …' failed with exit code {result.returncode}")


def build(name, keras):
    """The network in Keras, layer for layer the one in the SavedModel (same layer names)."""
    if name == "tiny":  # scripts/fixtures/make_models.py build_keras_cnn()
        inputs = keras.Input((32, 32, 3), name="image")
        x = keras.layers.Conv2D(8, 3, activation="relu", name="conv1")(inputs)
        x = keras.layers.MaxPooling2D(name="pool1")(x)
        x = keras.layers.Conv2D(16, 3, activation="relu", name="conv2")(x)
        x = keras.layers.GlobalAveragePooling2D(name="gap")(x)
        outputs = keras.layers.Dense(10, activation="softmax", name="probabilities")(x)
        return keras.Model(inputs, outputs, name="tiny_cnn")
    # bench/models/make_mobilenet.py
    return keras.applications.MobileNetV2(input_shape=(224, 224, 3), weights=None, classes=1000)


# ---- stage 1, in the fixture venv: SavedModel -> weights + TensorFlow's reference output ----

def dump_weights(saved_model, out_npz):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import numpy as np
    import tensorflow as tf

    loaded = tf.saved_model.load(str(saved_model))
    fn = loaded.signatures["serving_default"]
    (in_key, in_spec), = fn.structured_input_signature[1].items()
    out_key = next(iter(fn.structured_outputs))
    shape = [1 if d is None else d for d in in_spec.shape.as_list()]
    reference = fn(**{in_key: tf.constant(np.full(shape, 0.5, np.float32))})[out_key].numpy()
    arrays = {v.name.rsplit(":", 1)[0]: v.numpy() for v in loaded.variables}
    meta = {"input_key": in_key, "output_key": out_key, "input_shape": in_spec.shape.as_list()}
    np.savez(out_npz, __reference__=reference, __meta__=np.array(json.dumps(meta)), **arrays)


# ---- stage 2, in venv-onnx: rebuild under torch, load the weights, check, export ----

def export(names, batches, out_dir, weights_dir, force):
    os.environ["KERAS_BACKEND"] = "torch"
    import numpy as np
    import keras
    import onnx
    import torch

    for name in names:
        stem = MODELS[name]["stem"]
        todo = [b for b in batches if force or not (out_dir / f"{stem}_b{b}.onnx").exists()]
        if not todo:
            continue
        data = np.load(weights_dir / f"{name}.npz")
        meta = json.loads(str(data["__meta__"]))
        reference = data["__reference__"]
        model = build(name, keras)
        missing = [w.path for w in model.weights if w.path not in data.files]
        extra = set(data.files) - {w.path for w in model.weights} - {"__reference__", "__meta__"}
        if missing or extra:
            raise RuntimeError(f"{name}: weights do not match the SavedModel (missing {missing[:5]}, extra {sorted(extra)[:5]})")
        for w in model.weights:
            w.assign(data[w.path])
        x1 = np.full([1] + list(model.input.shape[1:]), 0.5, np.float32)
        ours = keras.ops.convert_to_numpy(model(x1, training=False))
        diff = float(np.max(np.abs(ours - reference)))
        scale = float(np.max(np.abs(reference)))
        log(f"{name}: {len(model.weights)} weights copied from {MODELS[name]['saved_model']}; "
            f"max |keras-torch - TF| on a 0.5 input = {diff:.3g} (output max {scale:.3g})")
        if diff > 1e-2 * scale + 1e-6:
            raise RuntimeError(f"{name}: the rebuilt network disagrees with the SavedModel (max abs diff {diff:.3g})")
        for batch in todo:
            spec = keras.InputSpec(shape=(batch,) + tuple(model.input.shape[1:]), dtype="float32", name=meta["input_key"])
            target = out_dir / f"{stem}_b{batch}.onnx"
            with tempfile.TemporaryDirectory(dir=out_dir) as tmp:
                tmp_file = Path(tmp) / target.name
                model.export(str(tmp_file), format="onnx", verbose=False, input_signature=[spec])
                graph = onnx.load(str(tmp_file))
                onnx.checker.check_model(graph)
                inputs = [(i.name, [d.dim_value or d.dim_param for d in i.type.tensor_type.shape.dim]) for i in graph.graph.input]
                outputs = [o.name for o in graph.graph.output]
                sidecar = {
                    "model": name, "batch": batch, "source": str(MODELS[name]["saved_model"]),
                    "tf_input_key": meta["input_key"], "tf_output_key": meta["output_key"],
                    "onnx_inputs": inputs, "onnx_outputs": outputs, "opset": graph.opset_import[0].version,
                    "exporter": f"keras {keras.__version__} (torch backend), torch {torch.__version__}, onnx {onnx.__version__}",
                    # TensorFlow's output for one 0.5-filled image: the runner checks ONNX Runtime against it.
                    "tf_reference_batch1": [float(v) for v in reference[0]],
                }
                (Path(tmp) / "sidecar.json").write_text(json.dumps(sidecar, indent=1))
                os.replace(Path(tmp) / "sidecar.json", out_dir / f"{stem}_b{batch}.json")
                os.replace(tmp_file, target)  # last: the .onnx appearing means both files are complete
            log(f"wrote {target} (inputs {inputs}, outputs {outputs})")


# ---- driver, any python3 ----

def fixture_python():
    out = subprocess.run(["bash", str(ROOT / "scripts/fixtures/setup_venv.sh")], stdout=subprocess.PIPE, text=True)
    lines = out.stdout.strip().splitlines()
    if out.returncode != 0 or not lines or not Path(lines[-1]).exists():
        raise RuntimeError("the fixture venv with TensorFlow could not be set up (scripts/fixtures/setup_venv.sh)")
    return lines[-1]


def onnx_python(keras_version):
    py = ONNX_VENV / "bin/python"
    probe = "import torch, keras, onnx, onnxscript"
    env = {**os.environ, "KERAS_BACKEND": "torch"}  # keras' default backend (tensorflow) is not installed there
    if py.exists() and subprocess.run([str(py), "-c", probe], capture_output=True, env=env).returncode == 0:
        return py
    if not py.exists():
        log(f"creating {ONNX_VENV}")
        run([sys.executable, "-m", "venv", ONNX_VENV])
    # A CPU-only torch wheel when the index has one (the default torch wheel pulls in
    # gigabytes of CUDA libraries that the export does not need).
    torch_req = "torch"
    versions = subprocess.run([str(py), "-m", "pip", "index", "versions", "torch", *PIP_FLAGS[:4]],
                              capture_output=True, text=True).stdout
    for line in versions.splitlines():
        if line.strip().startswith("Available versions:"):
            cpu = [v.strip() for v in line.split(":", 1)[1].split(",") if v.strip().endswith("+cpu")]
            if cpu:
                torch_req = f"torch=={cpu[0]}"
    keras_req = f"keras=={keras_version}" if keras_version else "keras>=3"
    log(f"installing {torch_req} {keras_req} onnx onnxscript numpy into {ONNX_VENV}")
    run([py, "-m", "pip", "install", *PIP_FLAGS, torch_req, keras_req, "onnx", "onnxscript", "numpy"])
    return py


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="tiny,mobilenet")
    parser.add_argument("--batches", default="1,8")
    parser.add_argument("--out", default=str(CACHE / "bench-models"))
    parser.add_argument("--force", action="store_true", help="re-export files that exist")
    parser.add_argument("--stage", choices=["dump", "export"], help=argparse.SUPPRESS)
    parser.add_argument("--weights-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    names = [n for n in args.models.split(",") if n]
    batches = [int(b) for b in args.batches.split(",") if b]
    out_dir = Path(args.out)
    for n in names:
        if n not in MODELS:
            parser.error(f"unknown model {n} (known: {', '.join(MODELS)})")
    if any(b < 1 for b in batches):
        parser.error("batch sizes must be positive")

    if args.stage == "dump":
        for n in names:
            dump_weights(MODELS[n]["saved_model"], Path(args.weights_dir) / f"{n}.npz")
        return
    if args.stage == "export":
        export(names, batches, out_dir, Path(args.weights_dir), args.force)
        return

    todo = [n for n in names
            if args.force or any(not (out_dir / f"{MODELS[n]['stem']}_b{b}.onnx").exists() for b in batches)]
    if todo:
        out_dir.mkdir(parents=True, exist_ok=True)
        fixture = fixture_python()
        if "mobilenet" in todo and not (MODELS["mobilenet"]["saved_model"] / "saved_model.pb").exists():
            log("generating the MobileNetV2 SavedModel")
            run([fixture, ROOT / "bench/models/make_mobilenet.py", MODELS["mobilenet"]["saved_model"]])
        keras_version = subprocess.run([fixture, "-c", "import importlib.metadata as m; print(m.version('keras'))"],
                                       capture_output=True, text=True).stdout.strip()
        py = onnx_python(keras_version)
        with tempfile.TemporaryDirectory() as weights_dir:
            common = ["--models", ",".join(todo), "--batches", args.batches, "--out", out_dir, "--weights-dir", weights_dir]
            run([fixture, __file__, "--stage", "dump", *common])
            run([py, __file__, "--stage", "export", *common, *(["--force"] if args.force else [])])
    files = [str(out_dir / f"{MODELS[n]['stem']}_b{b}.onnx") for n in names for b in batches]
    print(json.dumps({"ok": True, "files": files}))


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # one line a caller can show; the traceback is for the log
        import traceback
        traceback.print_exc(file=sys.stderr)
        print(json.dumps({"error": f"ONNX export failed: {e}"}))
        sys.exit(1)
