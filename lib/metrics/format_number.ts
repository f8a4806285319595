// How metric values print in tables and details: four decimals, two from 100 on, large
// integers (pixel counts) whole, 'n/a' for an undefined value.
export const formatNumber = (x: number | null | undefined): string =>
  x === null || x === undefined || Number.isNaN(x)
    ? 'n/a'
    : Number.isInteger(x) && Math.abs(x) >= 1000
      ? String(x)
      : Math.abs(x) >= 100
        ? x.toFixed(2)
        : x.toFixed(4);

/** Numbers separated by spaces, each as formatNumber prints it. */
export const formatList = (xs: readonly number[]): string => xs.map((x) => formatNumber(x)).join(' ');
