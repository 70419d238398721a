//! The people the samples name, so that `personName`, `userName` and `headerUrl` read like the
//! seeds' answers; anyone else is "云之家用户".

/// (openid, name, photo id)
const PEOPLE: &[(&str, &str, &str)] = &[
    // queryByDay's sample: its creator 5a67e1e1… is 张三.
    ("5a67e1e1e4b02f1de22a70a3", "张三", "5a67e1e1e4b02f1de22a70a4"),
    ("5a67e08d00b0e8dfe4aab4fa", "李四", "5a67e08d00b0e8dfe4aab4fb"),
    // getActors' sample.
    ("5c32b90b84aef86b358bc9cc", "陈*波", "54f7b6b116b2e39217000002"),
    ("5b652863e4b0689c4f38b1d3", "陈*略", "5b602f57b6238e0c44043f51"),
];

pub fn name(openid: &str) -> &'static str {
    PEOPLE.iter().find(|(id, _, _)| *id == openid).map_or("云之家用户", |(_, n, _)| n)
}

pub fn photo_url(openid: &str) -> String {
    let photo = PEOPLE.iter().find(|(id, _, _)| *id == openid).map_or(openid, |(_, _, p)| p);
    format!("https://sandbox.yunzhijia.invalid/space/c/photo/load?id={photo}")
}

/// Whether `openid` is one of the sandbox's people (the ones it issues sign-on tickets for).
pub fn known(openid: &str) -> bool {
    PEOPLE.iter().any(|(id, _, _)| *id == openid)
}

pub fn openids() -> impl Iterator<Item = &'static str> {
    PEOPLE.iter().map(|(id, _, _)| *id)
}
