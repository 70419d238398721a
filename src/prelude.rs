//! What the std prelude gives a module, from `alloc`, so that the same code builds with std
//! (native, the sandbox, the wasm tests) and without it (the client wasm the package ships).

pub use alloc::borrow::ToOwned;
pub use alloc::boxed::Box;
pub use alloc::format;
pub use alloc::string::{String, ToString};
pub use alloc::vec;
pub use alloc::vec::Vec;

#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
pub use self::float::Float;

/// The few `f64` methods std adds to `core`'s (they need no libm for these uses): whole-number
/// tests, rounding of milliseconds and backoff doubling.
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
mod float {
    /// Past 2^52 every `f64` is a whole number.
    const WHOLE: f64 = 4_503_599_627_370_496.0;

    pub trait Float {
        fn trunc(self) -> f64;
        fn fract(self) -> f64;
        fn floor(self) -> f64;
        fn round(self) -> f64;
        fn powi(self, n: i32) -> f64;
    }

    impl Float for f64 {
        fn trunc(self) -> f64 {
            // NaN and the infinities fail the test and come back as they are, as from std.
            if self.abs() < WHOLE {
                (self as i64) as f64
            } else {
                self
            }
        }
        fn fract(self) -> f64 {
            self - self.trunc()
        }
        fn floor(self) -> f64 {
            let t = self.trunc();
            if t > self {
                t - 1.0
            } else {
                t
            }
        }
        /// Half away from zero, as std's.
        fn round(self) -> f64 {
            let t = self.trunc();
            if (self - t).abs() >= 0.5 {
                t + self.signum()
            } else {
                t
            }
        }
        fn powi(self, n: i32) -> f64 {
            let mut r = 1.0;
            for _ in 0..n.unsigned_abs() {
                r *= self;
            }
            if n < 0 {
                1.0 / r
            } else {
                r
            }
        }
    }
}
