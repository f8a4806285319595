// Worker body for test/image-ops.test.js: loads tfcv in its own environment, decodes,
// transforms, finds contours and preprocesses, then reports what it saw.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');
const tfcv = require('../../dist');

const image = (name) => fs.readFileSync(path.join(__dirname, '../fixtures/images', name));

async function main() {
  const shapes = await tfcv.Mat.decode(image('shapes_400x300.png'), { flags: 'grayscale' });
  const { contours } = await (await shapes.threshold(127, 255)).findContours();
  const photo = await tfcv.Mat.decode(image('photo_640x480.jpg'));
  await (await photo.resize({ width: 64, height: 48 })).cvtColor('BGR2HSV');
  const t = await tfcv.preprocess([image('photo_640x480.jpg'), photo], { width: 32, height: 32, dtype: 'uint8' });
  parentPort.postMessage({ id: workerData.id, contours: contours.length, first: Array.from(t.data.subarray(0, 8)) });
}

main().catch((err) => parentPort.postMessage({ id: workerData.id, error: String(err && err.stack) }));
