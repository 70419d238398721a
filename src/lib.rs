//! workbridge: typed clients for Chat&Messenger, Yunzhijia, XuanXuan and YTX, compiled to
//! WebAssembly for JavaScript.
//!
//! Every call is three steps: validate and build an [`core::http::HttpRequest`] (pure), send it
//! (`js::transport`, the one place that does I/O), and parse the [`core::http::HttpResponse`]
//! (pure). `core` and `vendors` are plain Rust, tested natively; `js` is the wasm-bindgen facade;
//! `sandbox` emulates the vendors' servers and ships in its own wasm.

// The client wasm is built without std (`--no-default-features`): a panic is then a bare trap,
// and neither std's panic machinery nor the formatting it pulls in is linked (README,
// "Dependencies"). Every module names its `alloc` items through `crate::prelude`.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "std")), no_std)]

extern crate alloc;

pub mod core;
pub mod prelude;
// Each vendor is a cargo feature (`cam`, `yunzhijia`, `xuanxuan`, `ytx`), so an app that uses one
// ships one: its operations, and the code only they reach, are all that is linked in.
#[cfg(any(feature = "cam", feature = "yunzhijia", feature = "xuanxuan", feature = "ytx"))]
pub mod vendors;

#[cfg(feature = "sandbox")]
pub mod sandbox;

#[cfg(target_arch = "wasm32")]
pub mod js;
