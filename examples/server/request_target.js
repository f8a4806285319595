// What the server reads from a request line and headers before routing: the path without
// its query string (so /predict?x=1 is /predict and /stats?reset=1 is /stats), the query,
// and whether /predict's Content-Type is one of the image types tfcv decodes. A target that
// is not a valid origin-form URL is null (the server answers 400).
'use strict';

/** Media types /predict accepts; a request without Content-Type is read as octet-stream. */
const IMAGE_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/bmp',
  'image/x-ms-bmp',
  'image/tiff',
  'application/octet-stream',
];

/** { path, query } of req.url, or null when it cannot be parsed as an origin-form target. */
function parseTarget(url) {
  if (typeof url !== 'string' || !url.startsWith('/')) return null;
  try {
    const parsed = new URL(url, 'http://localhost');
    return { path: parsed.pathname, query: parsed.searchParams };
  } catch {
    return null;
  }
}

/** The media type of a Content-Type header (lower case, parameters dropped), or null when absent. */
function mediaType(header) {
  if (header === undefined) return null;
  return String(header).split(';', 1)[0].trim().toLowerCase();
}

/** True when /predict can take a body of this Content-Type. */
function isImageBody(header) {
  const type = mediaType(header);
  return type === null || IMAGE_TYPES.includes(type);
}

module.exports = { IMAGE_TYPES, parseTarget, mediaType, isImageBody };
