// Compile-only check of the published typings (dist/*.d.ts): what users write must type-check,
// and the literal-union options must reject typos. Run by test/typings.test.js.
import { Mat, Tensor, toMat, toTensor, toTensorSync, stats, ShapeError, TfcvError, DType } from '../../dist';

async function usage(): Promise<void> {
  const t = Tensor.from(new Float32Array(6), { shape: [2, 3], mode: 'share', onUnaligned: 'throw' });
  const f: Float32Array = Tensor.alloc('float32', [2]).data;
  const big: BigInt64Array = Tensor.alloc('int64', [2]).data;
  const mat = await Mat.decode(Buffer.alloc(1), { flags: 'grayscale' });
  const nchw = await toTensor(mat, { layout: 'NCHW', dtype: 'float32', mode: 'copy', fallback: 'throw', onCopy: (r: string) => r.length });
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
void usage;
