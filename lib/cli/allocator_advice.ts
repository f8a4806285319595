// What `tfcv doctor` says about the C allocator. On glibc, every thread that allocates
// (libuv's pool, TensorFlow's and OpenCV's workers) may get its own malloc arena, up to 8
// per core; memory freed in an arena is mostly kept for reuse, so a long-running server's
// RSS climbs for its first minutes and settles higher than it needs. MALLOC_ARENA_MAX=2
// (set in the environment before Node starts) caps that; see the README, "Memory over time".

/** The doctor's 'malloc' line and, when the defaults are in use on glibc, a warning. */
export function allocatorAdvice(
  env: NodeJS.ProcessEnv,
  glibcVersion: string | undefined,
): { line: string; warning: string | null } {
  if (glibcVersion === undefined) return { line: 'not glibc (no arena advice)', warning: null };
  const max = env.MALLOC_ARENA_MAX;
  if (max !== undefined && max !== '') return { line: `glibc, MALLOC_ARENA_MAX=${max}`, warning: null };
  return {
    line: 'glibc, default arenas (up to 8 per core)',
    warning:
      "MALLOC_ARENA_MAX is not set: with glibc's default arenas a long-running process's RSS grows for its first minutes " +
      '(per-thread arenas warming up; +1.7 MB/min over 10 minutes of the soak loop) and settles higher. ' +
      'For servers, start Node with MALLOC_ARENA_MAX=2 (README, "Memory over time").',
  };
}
