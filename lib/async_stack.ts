// Async errors from native workers carry only the stack of the JS-thread callback that
// rejected them; this appends the stack captured where the user made the call.

/**
 * Keeps the caller's stack on async errors: the native rejection carries only the stack
 * of the JS-thread callback, so the stack captured at the call is appended.
 */
export async function withCallerStack<T>(promise: Promise<T>): Promise<T> {
  const caller = new Error();
  try {
    return await promise;
  } catch (error) {
    if (error instanceof Error && caller.stack) {
      error.stack = `${error.stack ?? error.message}\n    --- async call site ---\n${caller.stack.split('\n').slice(2).join('\n')}`;
    }
    throw error;
  }
}
