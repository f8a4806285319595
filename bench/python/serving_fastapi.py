#!/usr/bin/env python3
"""The server teams write when they do not run TF Serving: FastAPI + uvicorn + TensorFlow,
one process, the SavedModel loaded once, POST /predict with a JPEG body -> the model's
outputs as JSON (decode, resize to the signature's size, scale to [0, 1], run).
Started by bench/serving.js:  python bench/python/serving_fastapi.py MODEL_DIR PORT
"""
import sys

import tensorflow as tf
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

model = tf.saved_model.load(sys.argv[1])
fn = model.signatures["serving_default"]
name, spec = next(iter(fn.structured_input_signature[1].items()))
height, width = int(spec.shape[1]), int(spec.shape[2])
app = FastAPI()


@app.post("/predict")
async def predict(request: Request):
    body = await request.body()
    try:
        image = tf.io.decode_image(body, channels=3, expand_animations=False)
    except tf.errors.InvalidArgumentError as e:
        return JSONResponse({"error": str(e)}, status_code=400)
    x = tf.image.resize(tf.cast(image, tf.float32) / 255.0, (height, width))[tf.newaxis]
    outputs = fn(**{name: x})
    return {k: v.numpy().tolist() for k, v in outputs.items()}


@app.get("/ready")
async def ready():
    return {"ready": True}


if __name__ == "__main__":
    print("listening", flush=True)
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
