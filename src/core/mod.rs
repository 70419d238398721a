//! Target-independent building blocks: no I/O and no wasm-bindgen, so `cargo test` checks
//! them natively in milliseconds.

pub mod call;
pub mod error;
pub mod event;
pub mod http;
pub mod json;
pub mod num;
pub mod ops;
pub mod retry;
pub mod secret;
pub mod sign;
pub mod text;
pub mod time;
pub mod validate;
pub mod vendor;
