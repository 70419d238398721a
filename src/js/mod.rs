//! The wasm-bindgen facade: a few generic exports that the package's JS entry files wrap into
//! the public classes (they derive the methods from the vendor tables, which `make build` writes
//! as JSON from a native build, src/bin/tables.rs: the wasm itself does not describe them).

// Yunzhijia's token runtime is compiled into every client build (the client names its types),
// but only a build with the `yunzhijia` feature reaches it; the others leave it to the linker.
#[cfg(feature = "client")]
#[cfg_attr(not(feature = "yunzhijia"), allow(dead_code, unused_imports))]
pub mod client;
/// The allocator of the client wasm (std's dlmalloc costs 3.5 KiB gzip more).
#[cfg(feature = "client")]
mod heap;
#[cfg(feature = "sandbox")]
mod sandbox;
#[cfg(feature = "client")]
#[cfg_attr(not(feature = "yunzhijia"), allow(dead_code, unused_imports, unused_mut))]
mod steps;
#[cfg(feature = "client")]
#[cfg_attr(not(feature = "yunzhijia"), allow(dead_code, unused_imports))]
mod token;
#[cfg(feature = "client")]
#[cfg_attr(not(feature = "yunzhijia"), allow(dead_code, unused_imports))]
mod token_store;
/// The one place that does I/O.
#[cfg(feature = "client")]
pub(crate) mod transport;

#[cfg(feature = "client")]
use {
    crate::core::error::Error,
    crate::prelude::*,
    js_sys::{Object, Reflect},
    wasm_bindgen::JsValue,
};

/// An `Error` as a plain object; the JS entry turns it into a `WorkbridgeError`.
#[cfg(feature = "client")]
pub(crate) fn error_to_js(e: &Error) -> JsValue {
    let o = Object::new();
    let set = |k: &str, v: JsValue| {
        let _ = Reflect::set(&o, &k.into(), &v);
    };
    let opt = |v: &Option<Box<str>>| v.as_deref().map_or(JsValue::UNDEFINED, JsValue::from_str);
    set("code", e.code.as_str().into());
    set("message", e.message().into());
    set("vendor", e.vendor.map_or(JsValue::UNDEFINED, |v| v.id().into()));
    set("operation", opt(&e.operation));
    set("field", opt(&e.field));
    set("status", e.status.map_or(JsValue::UNDEFINED, |s| f64::from(s).into()));
    set("vendorCode", opt(&e.vendor_code));
    set("vendorMessage", opt(&e.vendor_message));
    set("retryable", e.retryable.into());
    o.into()
}

/// Without std a panic is a trap, like the abort it is with std, minus the message it would
/// format and the machinery that formats it; the code is written not to panic on any input.
#[cfg(all(feature = "client", not(feature = "std")))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
