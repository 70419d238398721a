//! Faults the sandbox can inject, so retries, timeouts and "nothing sent twice" are rehearsed
//! rather than hoped for. A spec is comma-separated rules `<scope>:<fault>[@<rate>|x<count>]`:
//!
//! - scope: `*`, a vendor (`cam`), or a vendor and operation as the operation tables name it
//!   (`cam.sendMessage`, `yunzhijia.meeting.create`, `yunzhijia.roomBook.bookInfo`,
//!   `xuanxuan.sendNotification`, `ytx.queryMeeting`; see `operation_of` in the parent module);
//! - fault: `latency=<ms>`, `429[=<retry-after seconds>]`, `500` `502` `503` `504`, `drop`
//!   (close the connection before handling), `drop-after` (handle, then close: the request took
//!   effect but no answer came), `malformed` (a truncated body with status 200);
//! - `@0.25` applies it to a quarter of matching requests, `x3` to the next three; neither: always.
//!
//! The first matching rule that fires wins, except `latency`, which adds to whatever follows.

#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    Latency(f64),
    Status(u16, Option<u32>),
    Drop,
    DropAfter,
    Malformed,
}

#[derive(Clone, Debug, PartialEq)]
enum Limit {
    Always,
    Rate(f64),
    Count(u32),
}

#[derive(Clone, Debug, PartialEq)]
struct Rule {
    scope: String,
    kind: Kind,
    limit: Limit,
}

/// What to do with one request.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    pub delay_ms: f64,
    /// Answer this instead of handling the request (the request has no effect).
    pub status: Option<(u16, Option<u32>)>,
    pub drop_before: bool,
    pub drop_after: bool,
    pub malformed: bool,
}

#[derive(Default)]
pub struct Faults {
    rules: Vec<Rule>,
}

impl Faults {
    /// Parses a spec; the error names the rule that could not be read.
    pub fn parse(spec: &str) -> Result<Faults, String> {
        let mut rules = Vec::new();
        for raw in spec.split(',').map(str::trim).filter(|r| !r.is_empty()) {
            let bad = || format!("cannot read fault rule {raw:?}: expected <scope>:<fault>[@rate|xN]");
            let (scope, rest) = raw.split_once(':').ok_or_else(bad)?;
            let (fault, limit) = if let Some((f, rate)) = rest.split_once('@') {
                let rate: f64 = rate.parse().map_err(|_| bad())?;
                if !(0.0..=1.0).contains(&rate) {
                    return Err(format!("fault rate must be from 0 to 1 in {raw:?}"));
                }
                (f, Limit::Rate(rate))
            } else if let Some((f, n)) = rest.rsplit_once('x').filter(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) {
                (f, Limit::Count(n.parse().map_err(|_| bad())?))
            } else {
                (rest, Limit::Always)
            };
            let kind = match fault.split_once('=') {
                Some(("latency", ms)) => Kind::Latency(ms.trim_end_matches("ms").parse().map_err(|_| bad())?),
                Some(("429", secs)) => Kind::Status(429, Some(secs.parse().map_err(|_| bad())?)),
                None if fault == "429" => Kind::Status(429, None),
                None if matches!(fault, "500" | "502" | "503" | "504") => Kind::Status(fault.parse().map_err(|_| bad())?, None),
                None if fault == "drop" => Kind::Drop,
                None if fault == "drop-after" => Kind::DropAfter,
                None if fault == "malformed" => Kind::Malformed,
                _ => return Err(bad()),
            };
            rules.push(Rule { scope: scope.to_string(), kind, limit });
        }
        Ok(Faults { rules })
    }

    /// The scope of every rule, as written.
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.scope.as_str())
    }

    /// The plan for a request to `operation` (e.g. `cam.sendMessage`). `random` draws from
    /// [0, 1), once per rate rule, so rules with rates fire independently.
    pub fn plan(&mut self, operation: &str, random: &mut dyn FnMut() -> f64) -> Plan {
        let mut plan = Plan::default();
        for rule in &mut self.rules {
            let applies = rule.scope == "*"
                || operation == rule.scope
                || operation.strip_prefix(rule.scope.as_str()).is_some_and(|rest| rest.starts_with('.'));
            if !applies {
                continue;
            }
            let fires = match &mut rule.limit {
                Limit::Always => true,
                Limit::Rate(r) => random() < *r,
                Limit::Count(0) => false,
                Limit::Count(n) => {
                    *n -= 1;
                    true
                }
            };
            if !fires {
                continue;
            }
            match rule.kind {
                Kind::Latency(ms) => {
                    plan.delay_ms += ms;
                    continue;
                }
                Kind::Status(s, after) => plan.status = Some((s, after)),
                Kind::Drop => plan.drop_before = true,
                Kind::DropAfter => plan.drop_after = true,
                Kind::Malformed => plan.malformed = true,
            }
            break;
        }
        plan
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rules_and_applies_counts_rates_and_scopes() {
        let mut f = Faults::parse("cam.sendMessage:503x2, yunzhijia:429=1@0.5, *:latency=20").unwrap();
        let (mut high, mut low) = (|| 0.9, || 0.4);
        assert_eq!(f.plan("cam.sendMessage", &mut high).status, Some((503, None)));
        assert_eq!(f.plan("cam.sendMessage", &mut high).status, Some((503, None)));
        let third = f.plan("cam.sendMessage", &mut high);
        assert_eq!((third.status, third.delay_ms), (None, 20.0));
        assert_eq!(f.plan("yunzhijia.meeting.create", &mut low).status, Some((429, Some(1))));
        assert_eq!(f.plan("yunzhijia.meeting.create", &mut high).status, None);
        assert_eq!(f.plan("camx.other", &mut low).status, None);
    }

    #[test]
    fn rate_rules_draw_independently() {
        let mut f = Faults::parse("cam:503@0.5, cam:drop-after@0.5").unwrap();
        let mut draws = [0.7, 0.2].into_iter();
        let plan = f.plan("cam.sendMessage", &mut || draws.next().unwrap_or(1.0));
        assert_eq!((plan.status, plan.drop_after), (None, true));
    }

    #[test]
    fn refuses_unreadable_specs() {
        for bad in ["cam", "cam:teapot", "cam:503@2", "cam:latency=fast", ":x"] {
            assert!(Faults::parse(bad).is_err(), "{bad}");
        }
        assert!(Faults::parse("").unwrap().rules.is_empty());
        assert!(Faults::parse("*:drop-after, ytx:malformed").is_ok());
    }
}
