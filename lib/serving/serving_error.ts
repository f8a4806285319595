// Errors of the serving layer carry a canonical status (gRPC's code names, as TF Serving
// and Triton use them) so every protocol maps one failure to its own HTTP status and body
// the same way: NOT_FOUND -> 404, INVALID_ARGUMENT -> 400, UNAVAILABLE -> 503, ...
import { TfcvError } from '../errors';

export type ServingStatus =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'FAILED_PRECONDITION'
  | 'UNAVAILABLE'
  | 'RESOURCE_EXHAUSTED'
  | 'DEADLINE_EXCEEDED'
  | 'UNIMPLEMENTED'
  | 'CANCELLED'
  | 'INTERNAL';

/** A request the model repository or a protocol cannot serve; `status` says why. */
export class ServingError extends TfcvError {
  override readonly code = 'ERR_TFCV_SERVING';
  readonly status: ServingStatus;
  constructor(status: ServingStatus, message: string) {
    super(message);
    this.status = status;
  }
}

/** HTTP status of a canonical code, the canonical gRPC-to-HTTP mapping TF Serving uses. */
export const HTTP_STATUS: Record<ServingStatus, number> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  NOT_FOUND: 404,
  UNAVAILABLE: 503,
  RESOURCE_EXHAUSTED: 429,
  DEADLINE_EXCEEDED: 504,
  UNIMPLEMENTED: 501,
  CANCELLED: 499,
  INTERNAL: 500,
};
