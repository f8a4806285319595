// One body for a sync/async twin whose steps differ only in how each value is made (a
// preprocess or preprocessSync per image, say): the body is a generator that yields what
// it needs made and receives the result — or has the error thrown in at the yield, so its
// own try/catch/finally cleans up exactly as straight-line code would. driveSync and
// driveAsync run the same body, so the twins cannot drift apart.

/** @internal A twin's body: yields inputs `In`, receives `Out` for each, returns `R`. */
export type TwinSteps<In, Out, R> = Generator<In, R, Out>;

/** @internal Runs `steps`, making each yielded value with `make` inline. */
export function driveSync<In, Out, R>(steps: TwinSteps<In, Out, R>, make: (input: In) => Out): R {
  let step = steps.next();
  while (!step.done) {
    let made: Out;
    try {
      made = make(step.value);
    } catch (error) {
      step = steps.throw(error);
      continue;
    }
    step = steps.next(made);
  }
  return step.value;
}

/** @internal Runs `steps`, awaiting each value `make` makes, one after the other. */
export async function driveAsync<In, Out, R>(
  steps: TwinSteps<In, Out, R>,
  make: (input: In) => Out | Promise<Out>,
): Promise<R> {
  let step = steps.next();
  while (!step.done) {
    let made: Out;
    try {
      made = await make(step.value);
    } catch (error) {
      step = steps.throw(error);
      continue;
    }
    step = steps.next(made);
  }
  return step.value;
}
