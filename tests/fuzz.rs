//! Random input never panics: every params decoder and builder of every vendor, every response
//! parser, the JSON parser and the sandbox's request handler, fed generated values that mix
//! the right names with wrong types, odd strings, absurd numbers, deep nesting and garbage.
//! A panic in wasm would kill the module for every later call, so these run natively on a
//! fixed seed (reproducible) over tens of thousands of cases.

use workbridge::core::http::HttpResponse;
use workbridge::core::json::{parse, Json};
use workbridge::core::ops::Vendor;
use workbridge::vendors::{describe_all, Client};

/// xorshift64*: small, deterministic, good enough to spread cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

const STRINGS: &[&str] = &[
    "",
    " ",
    "a",
    "user1@xxx.com",
    "a@b",
    "messenger",
    "Secret meeting",
    "201908",
    "20190230",
    "2019-08",
    "0",
    "-1",
    "1e400",
    "会议室😀",
    "\u{0}\u{1}\n\t\"\\",
    "\u{FFFD}",
    "plain",
    "text",
    "sign",
    "voice",
    "danger",
    "normal",
    "1538064000000",
    "<html>",
    "{\"a\":",
    "%ZZ&=+",
    "null",
    "true",
];
const NUMBERS: &[f64] =
    &[0.0, -1.0, 1.0, 15.0, 60.0, 5.0, 6.0, 1.5, -0.0, 1e15, 9.007_199_254_740_993e15, 1e300, -1e300, 1_624_368_868_714.0, 200.0, 401.0];

fn string(rng: &mut Rng) -> String {
    match rng.below(8) {
        0 => "x".repeat(rng.below(5000)),
        1 => "会".repeat(rng.below(2100)),
        2 => (0..rng.below(20)).map(|_| char::from_u32((rng.next() % 0x11_0000) as u32).unwrap_or('?')).collect(),
        _ => rng.pick(STRINGS).to_string(),
    }
}

fn value(rng: &mut Rng, depth: usize) -> Json {
    match rng.below(if depth > 3 { 4 } else { 7 }) {
        0 => Json::Null,
        1 => Json::Bool(rng.below(2) == 0),
        2 => Json::Num(*rng.pick(NUMBERS)),
        3 => Json::Str(string(rng)),
        4 => Json::Arr((0..rng.below(4)).map(|_| value(rng, depth + 1)).collect()),
        _ => Json::Obj((0..rng.below(4)).map(|_| (string(rng), value(rng, depth + 1))).collect()),
    }
}

/// Params that use the operation's own names most of the time, so the builders go deep.
fn params(rng: &mut Rng, names: &[String]) -> Json {
    if rng.below(10) == 0 {
        return value(rng, 0);
    }
    let mut members = Vec::new();
    for n in names {
        if rng.below(4) != 0 {
            members.push((n.clone(), value(rng, 1)));
        }
    }
    if rng.below(5) == 0 {
        members.push((string(rng), value(rng, 1)));
    }
    Json::Obj(members)
}

fn body(rng: &mut Rng) -> String {
    match rng.below(7) {
        0 => String::new(),
        1 => "[".repeat(rng.below(100_000)),
        2 => {
            let v = value(rng, 0).to_json_string();
            let cut = rng.below(v.len() + 1);
            v.get(..cut).unwrap_or(&v).to_string()
        }
        3 => r#"{"success":true,"errorCode":0,"data":"#.to_string() + &value(rng, 0).to_json_string() + "}",
        4 => r#"{"result":"success","data":"#.to_string() + &value(rng, 0).to_json_string() + "}",
        5 => r#"{"statusCode":"#.to_string() + &value(rng, 2).to_json_string() + r#","data":[]}"#,
        _ => string(rng),
    }
}

fn clients() -> Vec<Client> {
    [
        (Vendor::Cam, r#"{"apiToken":"t","serverURL":"http://h/cam"}"#),
        (Vendor::Yunzhijia, r#"{"accessToken":"t"}"#),
        (Vendor::Xuanxuan, r#"{"serverURL":"http://h","code":"c","key":"k"}"#),
        (Vendor::Ytx, r#"{"accountSID":"s","authToken":"t","appid":"a","env":"sandbox"}"#),
    ]
    .iter()
    .map(|(v, o)| Client::new(*v, &parse(o).unwrap()).unwrap())
    .collect()
}

#[test]
fn every_builder_and_parser_survives_random_input() {
    let tables = describe_all();
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let mut prepared = 0;
    let mut refused = 0;
    for client in clients() {
        let ops = tables.get(client.vendor().id()).and_then(Json::as_array).unwrap();
        for op in ops {
            let name = op.get("name").and_then(Json::as_str).unwrap();
            let names: Vec<String> = op
                .get("params")
                .and_then(Json::as_array)
                .unwrap()
                .iter()
                .filter_map(|p| p.get("name").and_then(Json::as_str).map(str::to_string))
                .collect();
            for _ in 0..2_000 {
                match client.prepare(name, &params(&mut rng, &names)) {
                    Ok(p) => {
                        prepared += 1;
                        assert!(p.request.url.starts_with("http"), "{}", p.request.url);
                        for _ in 0..3 {
                            let status = *rng.pick(&[200u16, 200, 200, 201, 204, 400, 401, 403, 404, 429, 500, 502, 503, 504, 0, 599]);
                            let _ = client.finish(&p, &HttpResponse::new(status, body(&mut rng)));
                        }
                    }
                    Err(e) => {
                        refused += 1;
                        assert_eq!(e.code.as_str(), "INVALID_ARGUMENT", "{e}");
                        assert!(e.field.is_some(), "{e}");
                    }
                }
            }
        }
    }
    println!("{prepared} requests built, {refused} refused, each answered three random ways");
    assert!(prepared > 1_000 && refused > 1_000, "the generator should reach both sides: {prepared} / {refused}");
}

#[test]
fn constructors_and_the_json_parser_survive_random_input() {
    let mut rng = Rng(0x5EED_0000_0000_0002);
    for _ in 0..20_000 {
        let v = value(&mut rng, 0);
        for vendor in Vendor::ALL {
            let _ = Client::new(vendor, &v);
        }
        let _ = parse(&body(&mut rng));
        let text = v.to_json_string();
        assert_eq!(parse(&text).map(|p| p.to_json_string()), Ok(text), "writer and parser agree");
    }
}

#[cfg(feature = "sandbox")]
#[test]
fn the_sandbox_survives_random_requests() {
    use workbridge::sandbox::{Request, Sandbox};
    let mut rng = Rng(0x5EED_0000_0000_0003);
    let mut sb = Sandbox::new(&Json::Null);
    let targets = [
        "/cam/sendMessage",
        "/cam/sendMessages",
        "/cam/updateChatRoom",
        "/cam/createQuickCall",
        "/cam/getConferenceRoomStatus",
        "/yunzhijia/gateway/oauth2/token/getAccessToken",
        "/yunzhijia/gateway/oauth2/token/refreshToken",
        "/yunzhijia/gateway/cloudwork/meeting/repeatMeeting?accessToken=x",
        "/xuanxuan/x.php?m=im&f=sendNotification&code=sandbox&token=0",
        "/ytx/201612/sid/sandbox-sid/call/MeetingQuery.wx?Sign=0",
        "/",
        "",
        "//",
        "/cam",
        "/x?%%",
        "/ytx/201612/sid//call/MeetingQuery.wx",
    ];
    for _ in 0..20_000 {
        let headers = vec![("x-cam-apitoken".to_string(), "sandbox-token".to_string()), ("authorization".to_string(), string(&mut rng))];
        let method = *rng.pick(&["GET", "POST", "OPTIONS", "PUT", ""]);
        let target = format!("{}{}", rng.pick(&targets), if rng.below(3) == 0 { string(&mut rng) } else { String::new() });
        let body = match rng.below(3) {
            0 => format!(
                "message={}&messages={}&chatRoom={}",
                string(&mut rng),
                value(&mut rng, 0).to_json_string(),
                value(&mut rng, 0).to_json_string()
            ),
            1 => value(&mut rng, 0).to_json_string(),
            _ => body(&mut rng),
        };
        let res = sb.handle(&Request { method, target: &target, headers: &headers, body: &body, now_ms: *rng.pick(NUMBERS) });
        assert!((100..600).contains(&res.status));
    }
}
