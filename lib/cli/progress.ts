// The progress bar of `tfcv evaluate` (cli-progress): images done, rate and ETA, on stderr
// when it is a terminal; elsewhere (logs, CI) one summary line at the end instead of noise.
import { SingleBar } from 'cli-progress';
import { Writable } from 'node:stream';
import { EvaluateProgress } from '../evaluate/evaluate';
import { OutputStream } from './io';

// cli-progress is typed to want a Node stream but only writes and reads isTTY / columns, so
// the command's OutputStream (a captured one in tests) is handed over through a Writable
// that forwards every write at once and reads isTTY / columns from it on each call.
function writableOf(out: OutputStream): NodeJS.WritableStream {
  const sink = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, done) {
      out.write(String(chunk));
      done();
    },
  });
  return Object.defineProperties(sink, {
    isTTY: { get: () => out.isTTY },
    columns: { get: () => out.columns },
  });
}

export class ProgressDisplay {
  private bar: SingleBar | null = null;

  constructor(stream: OutputStream, total: number, enabled: boolean) {
    if (enabled && stream.isTTY) {
      this.bar = new SingleBar({
        stream: writableOf(stream),
        format: '{bar} {percentage}% | {value}/{total} images | {rate} img/s | ETA {eta_formatted}',
        barsize: 30,
        hideCursor: false,
        clearOnComplete: false,
        etaBuffer: 20,
        fps: 10,
      });
      this.bar.start(total, 0, { rate: '0.0' });
    }
  }

  update(p: EvaluateProgress): void {
    this.bar?.update(p.done + p.skipped, { rate: p.imagesPerSecond.toFixed(1) });
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
