#!/usr/bin/env python3
"""A client in another language: Python `requests` speaking TF Serving REST and KServe v2
(JSON and the binary tensor data extension) to a running `tfcv serve`, checking each answer
against what the published documents specify and recording a transcript (request and
answer of every exchange, binary bodies in base64).

The server must serve models 'cnn' (cnn_keras, versions 1 and 2) and 'typed'
(typed_module), as test/serving.conformance.test.js starts it:

  python scripts/serving_python_client.py --url http://127.0.0.1:8501 \
      [--transcript test/fixtures/serving/python_client_transcript.json]

The committed transcript is replayed by test/serving.conformance.test.js (no Python needed).
"""
import argparse
import base64
import json
import struct
import sys

import requests

X = [((i * 7919) % 1000) / 1000 for i in range(32 * 32 * 3)]


def nested(flat, shape):
    if not shape:
        return flat[0]
    step = len(flat) // shape[0]
    return [nested(flat[i * step:(i + 1) * step], shape[1:]) for i in range(shape[0])]


class Client:
    def __init__(self, url):
        self.url = url.rstrip("/")
        self.session = requests.Session()
        self.transcript = []

    def call(self, name, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if isinstance(body, (dict, list)):
            data = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        else:
            data = body
        r = self.session.request(method, self.url + path, data=data, headers=headers, timeout=60)
        entry = {
            "name": name,
            "method": method,
            "path": path,
            "headers": headers,
            "status": r.status_code,
            "response_headers": {k.lower(): v for k, v in r.headers.items() if k.lower() in ("content-type", "inference-header-content-length")},
        }
        if data is not None:
            entry["body_b64"] = base64.b64encode(data).decode()
        entry["response_b64"] = base64.b64encode(r.content).decode()
        self.transcript.append(entry)
        return r


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--transcript")
    args = ap.parse_args()
    c = Client(args.url)

    r = c.call("tf status", "GET", "/v1/models/cnn")
    check(r.status_code == 200, r.text)
    states = [(s["version"], s["state"], s["status"]["error_code"]) for s in r.json()["model_version_status"]]
    check(states == [("2", "AVAILABLE", "OK"), ("1", "AVAILABLE", "OK")], states)

    r = c.call("tf metadata", "GET", "/v1/models/cnn/versions/1/metadata")
    sig = r.json()["metadata"]["signature_def"]["signature_def"]["serving_default"]
    check(sig["inputs"]["image"]["dtype"] == "DT_FLOAT", sig)

    r = c.call("tf predict row", "POST", "/v1/models/cnn/versions/1:predict", {"instances": [nested(X, [32, 32, 3])]})
    check(r.status_code == 200 and len(r.json()["predictions"]) == 1 and len(r.json()["predictions"][0]) == 10, r.text)
    row = r.json()["predictions"][0]

    r = c.call("tf predict columnar", "POST", "/v1/models/cnn/versions/1:predict", {"inputs": {"image": [nested(X, [32, 32, 3])]}})
    check(all(abs(a - b) < 1e-5 for a, b in zip(r.json()["outputs"][0], row)), "columnar == row")

    r = c.call(
        "tf predict b64 strings",
        "POST",
        "/v1/models/typed:predict",
        {"signature_name": "ints_and_strings", "inputs": {"text": [{"b64": base64.b64encode(b"ab").decode()}, "Cde"], "values": [3, -4]}},
    )
    check(r.status_code == 200 and r.json()["outputs"]["upper"] == ["AB", "CDE"], r.text)

    r = c.call("tf error unknown model", "POST", "/v1/models/half:predict", {"instances": [1.0, 5.0]})
    check(r.status_code == 404 and r.json() == {"error": "Servable not found for request: Latest(half)"}, r.text)
    r = c.call("tf error bad b64", "POST", "/v1/models/typed:predict", {"signature_name": "ints_and_strings", "inputs": {"text": [{"b64": "@@"}], "values": [1]}})
    check(r.status_code == 400 and "base64" in r.json()["error"], r.text)

    r = c.call("v2 live", "GET", "/v2/health/live")
    check(r.status_code == 200, r.text)
    r = c.call("v2 model ready", "GET", "/v2/models/cnn/versions/2/ready")
    check(r.status_code == 200, r.text)
    r = c.call("v2 metadata", "GET", "/v2/models/cnn")
    check(r.json()["inputs"] == [{"name": "image", "datatype": "FP32", "shape": [-1, 32, 32, 3]}], r.text)

    r = c.call("v2 infer json", "POST", "/v2/models/cnn/versions/1/infer", {"inputs": [{"name": "image", "shape": [1, 32, 32, 3], "datatype": "FP32", "data": X}]})
    out = r.json()["outputs"][0]
    check(out["shape"] == [1, 10] and all(abs(a - b) < 1e-5 for a, b in zip(out["data"], row)), r.text)

    # Binary tensor data extension: JSON header, then the raw little-endian FP32 input.
    raw = struct.pack("<%df" % len(X), *X)
    header = json.dumps(
        {
            "inputs": [{"name": "image", "shape": [1, 32, 32, 3], "datatype": "FP32", "parameters": {"binary_data_size": len(raw)}}],
            "outputs": [{"name": "output_0", "parameters": {"binary_data": True}}],
        }
    ).encode()
    r = c.call(
        "v2 infer binary",
        "POST",
        "/v2/models/cnn/versions/1/infer",
        header + raw,
        {"Content-Type": "application/octet-stream", "Inference-Header-Content-Length": str(len(header))},
    )
    check(r.status_code == 200, r.text)
    n = int(r.headers["Inference-Header-Content-Length"])
    head = json.loads(r.content[:n])
    size = head["outputs"][0]["parameters"]["binary_data_size"]
    values = struct.unpack("<%df" % (size // 4), r.content[n:n + size])
    check(all(abs(a - b) < 1e-5 for a, b in zip(values, row)), "binary == row")

    # BYTES in binary: 4-byte little-endian length before each element.
    text = b"".join(struct.pack("<I", len(s)) + s for s in (b"ab", b"Cde"))
    ints = struct.pack("<2q", 3, -4)
    header = json.dumps(
        {
            "parameters": {"signature_name": "ints_and_strings"},
            "inputs": [
                {"name": "text", "shape": [2], "datatype": "BYTES", "parameters": {"binary_data_size": len(text)}},
                {"name": "values", "shape": [2], "datatype": "INT64", "parameters": {"binary_data_size": len(ints)}},
            ],
            "outputs": [{"name": "doubled"}, {"name": "upper", "parameters": {"binary_data": True}}],
        }
    ).encode()
    r = c.call("v2 infer binary bytes", "POST", "/v2/models/typed/infer", header + text + ints, {"Inference-Header-Content-Length": str(len(header))})
    check(r.status_code == 200, r.text)
    n = int(r.headers["Inference-Header-Content-Length"])
    head = json.loads(r.content[:n])
    check(head["outputs"][0] == {"name": "doubled", "datatype": "INT64", "shape": [2], "data": [6, -8]}, head)
    blob = r.content[n:]
    upper = []
    while blob:
        (k,) = struct.unpack("<I", blob[:4])
        upper.append(blob[4:4 + k].decode())
        blob = blob[4 + k:]
    check(upper == ["AB", "CDE"], upper)

    r = c.call("v2 error datatype", "POST", "/v2/models/cnn/infer", {"inputs": [{"name": "image", "shape": [1], "datatype": "INT8", "data": [1]}]})
    check(r.status_code == 400 and "error" in r.json(), r.text)

    if args.transcript:
        with open(args.transcript, "w") as f:
            json.dump({"generator": "scripts/serving_python_client.py", "requests": requests.__version__, "exchanges": c.transcript}, f, indent=1)
            f.write("\n")
    print(json.dumps({"exchanges": len(c.transcript), "ok": True}))


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print("FAILED:", e, file=sys.stderr)
        sys.exit(1)
