// Where the command writes: the process's streams, or captured streams in tests (so every
// path of the command can be exercised in-process, quickly, with its exit code).
export interface OutputStream {
  write(chunk: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Base for relative paths. */
  cwd: string;
  /** Environment (`--shard auto` reads the Indexed Job's variables); default process.env. */
  env?: Record<string, string | undefined>;
}
