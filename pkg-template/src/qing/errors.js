// The one error class of the package, and the helpers that print a thrown value. It lives here,
// with the light-app code, so that a page's `workbridge.WorkbridgeError` is the same class before
// and after the vendor clients have loaded.

/** Every failure of a workbridge call: `err.code` is one of the stable codes the README lists. */
export class WorkbridgeError extends Error {
  constructor(props) {
    super(props.message);
    this.name = 'WorkbridgeError';
    this.code = props.code;
    for (const key of ['vendor', 'operation', 'field', 'status', 'vendorCode', 'vendorMessage']) {
      if (props[key] !== undefined) this[key] = props[key];
    }
    this.retryable = Boolean(props.retryable);
  }
}

/** A thrown value in words; reading it never throws (a getter, a Proxy, a value with no string form). */
export function why(e) {
  try {
    return e && typeof e.message === 'string' && e.message ? e.message : String(e);
  } catch (_) {
    return 'a value that cannot be printed was thrown';
  }
}
