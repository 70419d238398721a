// What a light-app page may show its users when a call fails, in Chinese and English. The people
// who read these are a company's employees, mostly in Chinese: inside the app Chinese is the
// default (`qing.config({ lang })` chooses). A vendor's own words are never translated: they
// reach the page as the vendor wrote them.

const ZH = {
  INVALID_ARGUMENT: (r) => (r.field ? `参数 ${r.field} 不正确` : '参数不正确'),
  TIMEOUT: () => '请求超时，请稍后重试',
  NETWORK_ERROR: () => '网络连接失败，请检查网络后重试',
  NOT_IN_APP: () => '请在云之家客户端中打开此页面',
  FORBIDDEN: () => '没有权限执行此操作',
  AUTH_FAILED: () => '身份验证失败，请重新进入应用',
  HTTP_ERROR: (r) => (r.status ? `服务器返回错误（HTTP ${r.status}）` : '服务器返回错误'),
  BAD_RESPONSE: () => '服务器返回了无法识别的结果',
  ABORTED: () => '请求已取消',
  INTERNAL: () => '内部错误',
  VENDOR_ERROR: () => '服务方拒绝了请求',
  404: () => '没有这个接口',
  401: () => '身份验证失败，请重新进入应用',
  403: () => '没有权限执行此操作',
  413: () => '请求内容过大',
  429: () => '请求过于频繁，请稍后重试',
};

/** `zh` or `en` from what a page gave (`zh-CN`, `en-US`, ...); undefined for anything else. */
export function langOf(lang) {
  if (typeof lang !== 'string') return undefined;
  const l = lang.toLowerCase();
  return /^zh(?:[-_]|$)/.test(l) ? 'zh' : /^en(?:[-_]|$)/.test(l) ? 'en' : undefined;
}

/**
 * A failed result in `lang`. English keeps the package's own message (it names the operation and
 * what was wrong). Chinese says it in words an employee reads, naming the field, and keeps the
 * English under `detail` for the page's developer; a vendor's refusal shows the vendor's words.
 */
export function localize(res, lang) {
  if (lang !== 'zh' || !res || res.success === 'true') return res;
  const code = res.code !== undefined ? res.code : res.errorCode;
  if (code === 'VENDOR_ERROR' && typeof res.vendorMessage === 'string' && res.vendorMessage !== '')
    return { ...res, error: res.vendorMessage, detail: res.error };
  const say = ZH[code] || ZH[res.errorCode];
  return say ? { ...res, error: say(res), detail: res.error } : res;
}
