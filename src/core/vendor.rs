//! Who a call goes to and what kind of call it is: the two facts errors, the retry policy and
//! the operation tables all need, kept apart so none of those modules depends on another.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vendor {
    Cam,
    Yunzhijia,
    Xuanxuan,
    Ytx,
}

impl Vendor {
    pub const ALL: [Vendor; 4] = [Vendor::Cam, Vendor::Yunzhijia, Vendor::Xuanxuan, Vendor::Ytx];

    pub fn id(self) -> &'static str {
        match self {
            Vendor::Cam => "cam",
            Vendor::Yunzhijia => "yunzhijia",
            Vendor::Xuanxuan => "xuanxuan",
            Vendor::Ytx => "ytx",
        }
    }

    pub fn from_id(id: &str) -> Option<Vendor> {
        Vendor::ALL.into_iter().find(|v| v.id() == id)
    }
}

/// Reads may be retried on any transient failure; writes only where the server refused before
/// acting (429), so a retry never sends anything twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Read,
    Write,
}
