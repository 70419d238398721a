//! The one error type every operation returns, with the stable codes the README lists.
//! Errors are built where the failure is known and never from a `Debug` print of secret-bearing data.

use crate::core::vendor::Vendor;
use crate::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    InvalidArgument,
    AuthFailed,
    VendorError,
    HttpError,
    NetworkError,
    Timeout,
    Aborted,
    BadResponse,
    NotInApp,
    /// A fault of the package itself, never a vendor's: nothing the caller or server did.
    Internal,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidArgument => "INVALID_ARGUMENT",
            Code::AuthFailed => "AUTH_FAILED",
            Code::VendorError => "VENDOR_ERROR",
            Code::HttpError => "HTTP_ERROR",
            Code::NetworkError => "NETWORK_ERROR",
            Code::Timeout => "TIMEOUT",
            Code::Aborted => "ABORTED",
            Code::BadResponse => "BAD_RESPONSE",
            Code::NotInApp => "NOT_IN_APP",
            Code::Internal => "INTERNAL",
        }
    }
}

/// Texts are boxed `str`s, not `String`s: every fallible function returns this, and a slim
/// error keeps `Result`s small (clippy's `result_large_err`) without a heap box of its own.
#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    pub code: Code,
    /// What went wrong, for a person; `message()` prefixes the operation.
    pub detail: Box<str>,
    pub vendor: Option<Vendor>,
    pub operation: Option<Box<str>>,
    pub field: Option<Box<str>>,
    pub status: Option<u16>,
    pub vendor_code: Option<Box<str>>,
    pub vendor_message: Option<Box<str>>,
    pub retryable: bool,
}

impl Error {
    pub fn new(code: Code, detail: impl Into<String>) -> Error {
        Error {
            code,
            detail: detail.into().into_boxed_str(),
            vendor: None,
            operation: None,
            field: None,
            status: None,
            vendor_code: None,
            vendor_message: None,
            retryable: false,
        }
    }

    /// Bad caller input: raised before anything is sent; `field` is the parameter path.
    pub fn invalid(field: impl Into<String>, detail: impl Into<String>) -> Error {
        let field = field.into();
        let detail = format!("`{}` {}", field, detail.into());
        Error { field: Some(field.into_boxed_str()), ..Error::new(Code::InvalidArgument, detail) }
    }

    pub fn bad_response(status: u16, detail: impl Into<String>) -> Error {
        Error { status: Some(status), ..Error::new(Code::BadResponse, detail) }
    }

    pub fn with_status(mut self, status: u16) -> Error {
        self.status = Some(status);
        self
    }

    pub fn retryable(mut self, retryable: bool) -> Error {
        self.retryable = retryable;
        self
    }

    pub fn vendor_said(mut self, code: Option<String>, message: Option<String>) -> Error {
        self.vendor_code = code.map(String::into_boxed_str);
        self.vendor_message = message.map(String::into_boxed_str);
        self
    }

    /// Stamps where the error happened; called once by the dispatcher, not by each builder.
    pub fn at(mut self, vendor: Vendor, operation: &str) -> Error {
        self.vendor = Some(vendor);
        if self.operation.is_none() {
            self.operation = Some(operation.into());
        }
        self
    }

    pub fn message(&self) -> String {
        match (&self.vendor, &self.operation) {
            (Some(v), Some(op)) => format!("{}.{}: {}", v.id(), op, self.detail),
            _ => self.detail.to_string(),
        }
    }

    /// Replaces every occurrence of a known secret in every text this error carries.
    /// `forms` is the scrub set, each secret already in all its printable forms
    /// (`secret::secret_forms`). Defence in depth: a vendor could echo a token back.
    pub fn scrub(mut self, forms: &[String]) -> Error {
        let order = crate::core::secret::longest_first(forms);
        for text in [&mut self.detail]
            .into_iter()
            .chain(self.vendor_message.as_mut())
            .chain(self.vendor_code.as_mut())
            .chain(self.field.as_mut())
            .chain(self.operation.as_mut())
        {
            for s in &order {
                if let Some(masked) = crate::core::text::replace_all(text, s, "***") {
                    *text = masked.into_boxed_str();
                }
            }
        }
        self
    }
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{} ({})", self.message(), self.code.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_argument_names_the_field_in_message_and_property() {
        let e = Error::invalid("users[2]", "must be an e-mail address").at(Vendor::Cam, "sendMessage");
        assert_eq!(e.code.as_str(), "INVALID_ARGUMENT");
        assert_eq!(e.field.as_deref(), Some("users[2]"));
        assert_eq!(e.message(), "cam.sendMessage: `users[2]` must be an e-mail address");
        assert!(!e.retryable);
    }

    #[test]
    fn scrub_masks_secrets_echoed_by_a_vendor() {
        let e = Error::new(Code::VendorError, "token s3cr3t-token refused")
            .vendor_said(Some("401".into()), Some("bad token s3cr3t-token".into()))
            .scrub(&["s3cr3t-token".to_string(), String::new()]);
        assert_eq!(&*e.detail, "token *** refused");
        assert_eq!(e.vendor_message.as_deref(), Some("bad token ***"));
    }
}
