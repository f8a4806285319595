// Compile-only check of the published typings (dist/*.d.ts): what users write must type-check,
// and the literal-union options must reject typos. Run by test/typings.test.js.
import { Mat, Tensor, toMat, toTensor, toTensorSync, stats, ShapeError, TfcvError, DType } from '../../dist';
import { preprocess, specFromSignature, contourArea, letterboxGeometry, PreprocessSpec } from '../../dist';

async function usage(): Promise<void> {
  const t = Tensor.from(new Float32Array(6), { shape: [2, 3], mode: 'share', onUnaligned: 'throw' });
  const f: Float32Array = Tensor.alloc('float32', [2]).data;
  const big: BigInt64Array = Tensor.alloc('int64', [2]).data;
  const mat = await Mat.decode(Buffer.alloc(1), { flags: 'grayscale' });
  const nchw = await toTensor(mat, {
    layout: 'NCHW',
    dtype: 'float32',
    mode: 'copy',
    fallback: 'throw',
    onCopy: (r: string) => r.length,
  });
  const nchwData: Float32Array = nchw.data;
  const back = await toMat(t, { mode: 'move' });
  const readOnly: boolean = back.readOnly;
  const s: number = stats().bytesCopied;
  const d: DType = t.dtype;
  try {
    toTensorSync(mat);
  } catch (e) {
    if (e instanceof ShapeError) {
      const code: string = e.code;
      void code;
    }
    void (e instanceof TfcvError);
  }
  // @ts-expect-error layouts are a literal union
  await toTensor(mat, { layout: 'NHW' });
  // @ts-expect-error modes are a literal union
  Tensor.from(new Float32Array(1), { mode: 'borrow' });
  // @ts-expect-error int64 is not a Mat dtype
  Mat.zeros(1, 1, { dtype: 'int64' });
  void [f, big, nchwData, readOnly, s, d];
}

async function imagePipeline(): Promise<void> {
  const img = await Mat.read('photo.jpg', { maxPixels: 50_000_000, reduce: 2 });
  const small: Mat<'uint8'> = await (img as Mat<'uint8'>).resize({ width: 64, height: 48 }, { interpolation: 'area' });
  const f32: Mat<'float32'> = small.convertToSync('float32', { scale: [1 / 255, 1 / 255, 1 / 255] });
  const mask = await (await small.cvtColor('BGR2HSV')).inRange([0, 0, 0], [90, 255, 255]);
  const { contours, hierarchy } = await mask.findContours({ mode: 'tree', method: 'simple' });
  const area: number = contourArea(contours[0]!);
  small
    .rectangle({ x: 1, y: 1, width: 5, height: 5 }, [0, 0, 255], { thickness: 'filled', lineType: 'aa' })
    .putText('hi', { x: 2, y: 20 }, 255);
  const png: Buffer = await small.encode('png', { compression: 9 });
  const box = letterboxGeometry({ width: 640, height: 480 }, { width: 224, height: 224 });
  const spec: PreprocessSpec<'uint8'> = {
    width: 224,
    height: 224,
    resize: 'letterbox',
    fill: 114,
    dtype: 'uint8',
    layout: 'NCHW',
  };
  const u8: Uint8Array = (await preprocess([png, small], spec)).data;
  const derived = specFromSignature(
    { dtype: 'float32', shape: [-1, 224, 224, 3] },
    { decodeScale: 'auto', mean: [0.5, 0.5, 0.5] },
  );
  const floats: Float32Array = (await preprocess(png, { width: 8, height: 8 })).data;
  // @ts-expect-error interpolation names are a literal union
  await small.resize({ width: 2, height: 2 }, { interpolation: 'bilinear' });
  // @ts-expect-error cvtColor codes are a literal union
  await small.cvtColor('BGR2XYZW');
  // @ts-expect-error resize modes are a literal union
  await preprocess(png, { width: 8, height: 8, resize: 'fit' });
  // @ts-expect-error decodeScale is 'auto' | 'full'
  await preprocess(png, { width: 8, height: 8, decodeScale: 'half' });
  void [f32, hierarchy, area, box, u8, derived, floats];
}
void imagePipeline;
void usage;
