// The Yunzhijia app's page protocol, spoken as the vendor's qing.js speaks it (its client/mobile.js
// and desktop.js): the app gives a page no bridge object of its own. A call is a URL
// `xuntong:<method>:<callbackId>:<encodeURIComponent(JSON.stringify(params))>`, set as a hidden
// iframe's src (iOS, Android clients before 9.59, the old desktop client) or passed to
// window.prompt (Android 9.59+); the app answers by calling
// `XuntongJSBridge.handleMessageFromXT(callbackId, message)`, the message a JSON text or an object.
// Newer clients also inject `CloudHubJSBridge` (ready at once, or announced through
// `window.__onJSBridgeReady(bridge)`), which takes the workbench methods and gives the page events;
// the new desktop client injects `_CloudHubJSBridge` instead. An `XuntongJSBridge` already on the
// page (the vendor's qing.js, loaded first, or the app's own) is used as it is.

// The methods the vendor's qing.js sends through CloudHubJSBridge rather than over `xuntong:`.
const CLOUDHUB = [
  'cloudoffice.request',
  'cloudoffice.showCardNotify',
  'cloudoffice.clearCardNotify',
  'cloudoffice.getRoleType',
  'cloudoffice.checkAppAuth',
  'cloudoffice.shareText',
  'cloudoffice.downloadPic',
  'cloudoffice.checkWorkbenchUpdate',
  'ui.changeNavBarStyle',
  'ui.toast',
  'runtime.jsReady',
  'cloudoffice.textShareClosed',
  'cloudoffice.dataReport',
  'ui.webViewScrollTo',
  'runtime.auth',
];
// iframes the URLs are set on in turn, as qing.js does: one iframe whose src is set twice before
// the app has looked would lose the first call.
const IFRAMES = 9;

/** What the user agent says of the app: whether the page is in it, its bridge version, platform. */
export function clientOf(root) {
  const nav = root.navigator;
  const ua = (nav && typeof nav.userAgent === 'string' && nav.userAgent) || '';
  // The mobile app writes `Qing/<bridge version>`; the old desktop client `App/cloudhub <id>/<version>`.
  const m = /Qing\/(\d+(?:\.\d+)*)/i.exec(ua) || /App\/cloudhub \d+\/(\d+(?:\.\d+)*)/i.exec(ua);
  const android = /android/i.test(ua);
  const mobile = /iphone|ipod|blackberry|coolpad|windows phone/i.test(ua) || (android && /mobile/i.test(ua));
  const tablet = /ipad/i.test(ua) || (android && !/mobile/i.test(ua));
  const version = m ? m[1] : undefined;
  return {
    inApp: Boolean(m),
    version,
    android,
    desktop: !mobile && !tablet,
    // qing.js reads the client's version as the bridge version less its leading "0." (0.9.59 is
    // client 9.59), and Android clients from 9.59 on take the call through prompt().
    prompt: Boolean(version) && android && parseFloat(version.slice(2)) >= 9.59,
    // The desktop client past bridge 0.0.3 injects _CloudHubJSBridge; 0.0.3 and older take iframes.
    newDesktop: Boolean(version) && parseInt(version.replace(/\./g, ''), 10) > 3,
  };
}

/**
 * The page's side of the app. `call(name, params)` resolves with the app's answer as it gave it
 * (a JSON text parsed); `on(name, fn)` hears an app event; `own` says whether this page speaks
 * the protocol itself (the page had no XuntongJSBridge).
 */
export function makeApp(root) {
  const client = clientOf(root);
  const doc = root.document;
  const pending = new Map();
  // Even ids: qing.js counts odd ones from 3, so answers to either never reach the other.
  let nextId = 0;
  let iframes;
  let iframeAt = 0;
  let own;
  let hub;
  const waitingHub = [];
  const heard = new Map();

  const parse = (message) => {
    if (typeof message === 'string' && /^\s*[[{]/.test(message)) {
      try {
        return JSON.parse(message);
      } catch (_) {
        return message;
      }
    }
    return message;
  };
  function answer(id, message) {
    const settle = pending.get(id);
    pending.delete(id);
    settle(parse(message));
  }
  // The app's answer reaches whoever asked: ours by id, any other id the bridge that was there.
  function dispatcher(previous) {
    const handle = function (callbackId, message) {
      const id = String(callbackId);
      if (pending.has(id)) return answer(id, message);
      if (typeof previous === 'function') return previous.apply(this, arguments);
      return undefined;
    };
    handle.workbridge = true;
    return handle;
  }
  // A qing.js loaded after ours replaces window.XuntongJSBridge (its xuntong.js does, and its
  // mobile.js again once the app is ready): the object it puts there gets a handleMessageFromXT
  // that hands our ids to us and every other id to its own.
  function adopt(bridge) {
    if (bridge && (typeof bridge === 'object' || typeof bridge === 'function')) {
      const h = bridge.handleMessageFromXT;
      if (!(h && h.workbridge)) {
        try {
          bridge.handleMessageFromXT = dispatcher(h);
        } catch (_) {
          /* a frozen bridge: its own answers still reach it */
        }
      }
    }
    return bridge;
  }

  function frames() {
    if (!iframes) {
      iframes = [];
      for (let i = 0; i < IFRAMES; i++) {
        const f = doc.createElement('iframe');
        f.setAttribute('height', '1px');
        f.setAttribute('width', '1px');
        f.style.display = 'none';
        doc.documentElement.appendChild(f);
        iframes.push(f);
      }
    }
    const f = iframes[iframeAt % IFRAMES];
    iframeAt += 1;
    return f;
  }
  function send(url) {
    if (client.prompt) {
      root.prompt(url);
    } else if (client.desktop && !client.newDesktop) {
      // The old desktop client: one iframe per call, removed at once (qing.js's desktop-le-0.0.3).
      const f = doc.createElement('iframe');
      f.setAttribute('src', url);
      f.setAttribute('height', '1px');
      f.setAttribute('width', '1px');
      doc.documentElement.appendChild(f);
      f.parentNode.removeChild(f);
    } else {
      frames().setAttribute('src', url);
    }
  }
  // `forgetAfter`: the call's timeoutMs; once it is up nobody waits, and a late answer is dropped.
  function xuntong(name, params, forgetAfter) {
    return new Promise((resolve) => {
      nextId += 2;
      const id = String(nextId);
      pending.set(id, resolve);
      if (forgetAfter !== undefined) setTimeout(() => pending.delete(id), forgetAfter);
      send(`xuntong:${name}:${id}:${encodeURIComponent(JSON.stringify(params))}`);
    });
  }

  function cloudHub() {
    const c = root.CloudHubJSBridge;
    if (c && c.isReady && typeof c.invoke === 'function') return c;
    return hub;
  }
  function whenHub(run) {
    const c = cloudHub();
    if (c) run(c);
    else waitingHub.push(run);
  }
  // `window.__onJSBridgeReady(bridge)` is how the app says CloudHubJSBridge is ready. A qing.js
  // may have set it before ours, or set it after: each is still called.
  function hookReady() {
    const others = [];
    const before = root.__onJSBridgeReady;
    if (typeof before === 'function') others.push(before);
    const onReady = function (bridge) {
      hub = bridge || root.CloudHubJSBridge;
      for (const run of waitingHub.splice(0)) run(hub);
      for (const f of others) f.apply(this, arguments);
    };
    try {
      Object.defineProperty(root, '__onJSBridgeReady', {
        configurable: true,
        enumerable: true,
        get: () => onReady,
        set: (f) => {
          if (typeof f === 'function' && f !== onReady) others.push(f);
        },
      });
    } catch (_) {
      root.__onJSBridgeReady = onReady;
    }
  }

  function desktopBridge() {
    const d = root._CloudHubJSBridge;
    return client.desktop && client.newDesktop && d && typeof d.emit === 'function' ? d : undefined;
  }

  // Inside the app with no XuntongJSBridge on the page, this page defines it and speaks the
  // protocol itself; a page or app that has one keeps it, and calls go through it.
  function install() {
    if (!client.inApp || own !== undefined) return;
    own = !root.XuntongJSBridge;
    if (own) {
      let current = adopt({ call: xuntong, invoke: xuntong });
      try {
        Object.defineProperty(root, 'XuntongJSBridge', {
          configurable: true,
          enumerable: true,
          get: () => current,
          set: (b) => {
            current = adopt(b);
          },
        });
      } catch (_) {
        root.XuntongJSBridge = current;
      }
    }
    hookReady();
  }

  /** The app's answer to `name` with `params`, or undefined when there is no app to ask. */
  function call(name, params, timeoutMs) {
    install();
    const desktop = desktopBridge();
    if (desktop) {
      return new Promise((resolve) => {
        const done = (r) => resolve(parse(r));
        desktop.emit(name, { ...params, success: done, error: done });
      });
    }
    if (own) {
      if (CLOUDHUB.includes(name))
        return new Promise((resolve) => whenHub((c) => c.invoke(name, params, (r) => resolve(parse(r)))));
      return xuntong(name, params, timeoutMs);
    }
    const js = root.XuntongJSBridge;
    const f = js && (typeof js.call === 'function' ? js.call : js.invoke);
    if (typeof f !== 'function') return undefined;
    return new Promise((resolve) => f.call(js, name, params, (r) => resolve(parse(r))));
  }

  /** Hears the app's event `name` (`appear`, `disappear`, ...): CloudHubJSBridge.on, once per name. */
  function on(name, emit) {
    install();
    if (heard.has(name)) return;
    heard.set(name, emit);
    const desktop = desktopBridge();
    if (desktop && typeof desktop.on === 'function') desktop.on(name, emit);
    else if (client.inApp) whenHub((c) => typeof c.on === 'function' && c.on(name, emit));
  }

  return { client, call, on, install, isCloudHub: (name) => CLOUDHUB.includes(name) };
}
