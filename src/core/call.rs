//! One call's attempt machine: the timeout of each attempt, the call's deadline, which failures
//! are retried and after how long, and the final error. Pure: the time and the random draw are
//! inputs, so every branch is tested natively on a simulated clock; the transport only acts.

use crate::core::error::{Code, Error};
use crate::core::http::{host_port, redirect_origin, HttpRequest, HttpResponse};
use crate::core::retry::{is_retryable, parse_retry_after, Failure, Policy};
use crate::core::vendor::Kind;
use crate::prelude::*;

/// How an attempt ended without an answer, as the transport saw it.
#[derive(Clone, Debug, PartialEq)]
pub enum AttemptError {
    Timeout,
    Aborted,
    /// No answer; the request may have arrived.
    Network(String),
    /// No answer, and the request provably never left: why (its cause code included).
    Unsent(String),
    Bad(String),
    /// A 3xx, never followed: (status or "followed", where it pointed).
    Redirect(String, String),
    TooBig,
}

/// What bounds a call: its options, as the caller gave them or the defaults.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    pub timeout_ms: f64,
    /// The whole call, every attempt and backoff included; attempts are cut to fit in it.
    pub deadline_ms: f64,
    pub max_retries: u32,
    pub max_response_bytes: f64,
}

/// What to do after an attempt.
#[derive(Debug, PartialEq)]
pub enum Step {
    /// The call is over: the answer (any status), or why there is none.
    Done(Result<HttpResponse, Error>),
    /// Wait `delay` ms, then send again; `status` and `code` say what failed (the retry event).
    Retry { delay: f64, status: Option<u16>, code: &'static str },
}

/// The attempts of one request and the retry policy over them.
pub struct Attempts {
    bounds: Bounds,
    policy: Policy,
    deadline_at: f64,
    /// Retries decided so far.
    retries: u32,
    /// When the attempt under way began (for the events' durations).
    started: f64,
    /// Whether the deadline, not `timeoutMs`, bounds the attempt under way (its error says which).
    deadline_cut: bool,
}

impl Attempts {
    pub fn new(bounds: Bounds) -> Attempts {
        Attempts {
            bounds,
            policy: Policy { max_retries: bounds.max_retries, ..Policy::default() },
            deadline_at: f64::NAN,
            retries: 0,
            started: 0.0,
            deadline_cut: false,
        }
    }

    /// An attempt begins at `now`: its timeout, cut to fit in what is left of the deadline,
    /// which runs from the first attempt's start.
    pub fn begin(&mut self, now: f64) -> f64 {
        self.started = now;
        if self.deadline_at.is_nan() {
            self.deadline_at = now + self.bounds.deadline_ms;
        }
        let timeout_ms = self.bounds.timeout_ms.min((self.deadline_at - now).max(1.0));
        self.deadline_cut = timeout_ms < self.bounds.timeout_ms;
        timeout_ms
    }

    /// When the attempt under way began.
    pub fn started(&self) -> f64 {
        self.started
    }

    /// Decides at `now` after an attempt: done (an answer whatever its status, or the final
    /// error), or a retry after a delay, as the policy and the deadline allow. `random` is a
    /// draw in [0, 1) for the backoff's jitter.
    pub fn after(&mut self, outcome: Result<HttpResponse, AttemptError>, req: &HttpRequest, kind: Kind, now: f64, random: f64) -> Step {
        let (failure, outcome) = match outcome {
            Ok(r) if r.status != 429 && r.status < 500 => return Step::Done(Ok(r)),
            Ok(r) => (Failure::Status(r.status), Ok(r)),
            Err(e @ AttemptError::Timeout) => (Failure::Timeout, Err(e)),
            Err(e @ AttemptError::Network(_)) => (Failure::Network, Err(e)),
            Err(e @ AttemptError::Unsent(_)) => (Failure::Unsent, Err(e)),
            // Aborted, a bad or oversized answer, a redirect: no retry can cure these.
            Err(e) => return Step::Done(Err(self.final_error(e, req, kind))),
        };
        let retry_after = match &outcome {
            Ok(r) => r.retry_after.as_deref().and_then(|v| parse_retry_after(v, now)),
            Err(_) => None,
        };
        let delay = self.policy.next_delay(kind, failure, self.retries, retry_after, random);
        match delay.filter(|d| now + d < self.deadline_at) {
            Some(delay) => {
                let (status, code) = match &outcome {
                    Ok(r) => (Some(r.status), "HTTP_ERROR"),
                    Err(AttemptError::Timeout) => (None, "TIMEOUT"),
                    Err(_) => (None, "NETWORK_ERROR"),
                };
                self.retries += 1;
                Step::Retry { delay, status, code }
            }
            None => Step::Done(match outcome {
                Ok(response) => Ok(response),
                Err(e) => Err(self.final_error(e, req, kind)),
            }),
        }
    }

    fn final_error(&self, e: AttemptError, req: &HttpRequest, kind: Kind) -> Error {
        let b = &self.bounds;
        let tries = if self.retries > 0 { format!(" (after {} attempts)", self.retries + 1) } else { String::new() };
        let (code, failure, what) = match e {
            AttemptError::Timeout if self.deadline_cut => {
                (Code::Timeout, Failure::Timeout, format!("no answer within the call's deadlineMs ({} ms){tries}", b.deadline_ms as i64))
            }
            AttemptError::Timeout => (Code::Timeout, Failure::Timeout, format!("no answer within {} ms{tries}", b.timeout_ms as i64)),
            AttemptError::Network(why) => (Code::NetworkError, Failure::Network, format!("network error: {why}{tries}")),
            AttemptError::Unsent(why) => {
                let what = format!("could not reach {}: {why}; nothing was sent{tries}", host_port(&req.url));
                return Error::new(Code::NetworkError, what).retryable(true);
            }
            AttemptError::Aborted => return aborted(),
            AttemptError::Bad(why) => return Error::new(Code::BadResponse, why),
            AttemptError::TooBig => {
                let what = format!("the answer is larger than maxResponseBytes ({} bytes) and was cut off", b.max_response_bytes as u64);
                return Error::new(Code::BadResponse, what);
            }
            AttemptError::Redirect(status, location) => return redirected(&status, &location, &req.url),
        };
        let what = if kind == Kind::Write {
            format!("{what}; not retried, since the request may have arrived: check before sending again")
        } else {
            what
        };
        Error::new(code, what).retryable(is_retryable(kind, failure))
    }
}

/// The caller's signal aborted the call.
pub fn aborted() -> Error {
    Error::new(Code::Aborted, "aborted by the caller's signal")
}

fn redirected(status: &str, location: &str, url: &str) -> Error {
    let to = redirect_origin(location, url);
    let (what, status) = match status.parse::<u16>() {
        Ok(s) if s > 0 => (format!("the server answered HTTP {s}, a redirect to {to}"), Some(s)),
        _ if status == "followed" => (format!("the fetch function followed a redirect to {to}"), None),
        _ => ("the server answered with a redirect".to_string(), None),
    };
    let e = Error::new(
        Code::HttpError,
        format!("{what}; redirects are not followed, so no credential goes to another host: use the final URL"),
    );
    match status {
        Some(s) => e.with_status(s),
        None => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::http::Method;

    const B: Bounds = Bounds { timeout_ms: 10_000.0, deadline_ms: 60_000.0, max_retries: 2, max_response_bytes: 1e6 };

    fn req() -> HttpRequest {
        HttpRequest { method: Method::Post, url: "https://vendor.example:8443/api".into(), headers: Vec::new(), body: None }
    }

    fn answer(status: u16, retry_after: Option<&str>) -> Result<HttpResponse, AttemptError> {
        Ok(HttpResponse { status, retry_after: retry_after.map(str::to_string), body: String::new() })
    }

    /// Runs a call on a simulated clock: each attempt takes `took` ms and ends as `outcomes`
    /// say, in turn; every backoff is waited in full. Returns the steps and the clock at the end.
    fn run(
        bounds: Bounds,
        kind: Kind,
        took: f64,
        random: f64,
        outcomes: Vec<Result<HttpResponse, AttemptError>>,
    ) -> (Vec<Step>, Vec<f64>, f64) {
        let mut a = Attempts::new(bounds);
        let (mut now, mut steps, mut timeouts) = (1_000_000.0, Vec::new(), Vec::new());
        for outcome in outcomes {
            timeouts.push(a.begin(now));
            now += took;
            let step = a.after(outcome, &req(), kind, now, random);
            let wait = match &step {
                Step::Retry { delay, .. } => Some(*delay),
                Step::Done(_) => None,
            };
            steps.push(step);
            match wait {
                Some(d) => now += d,
                None => break,
            }
        }
        (steps, timeouts, now)
    }

    fn code(step: &Step) -> Option<Code> {
        match step {
            Step::Done(Err(e)) => Some(e.code),
            _ => None,
        }
    }

    #[test]
    fn a_read_that_times_out_is_retried_with_jittered_backoff_then_fails_after_three_attempts() {
        let (steps, _, _) = run(B, Kind::Read, 10_000.0, 0.5, vec![Err(AttemptError::Timeout); 3]);
        assert_eq!(steps.len(), 3);
        // Full jitter: half of the 200 ms ceiling, then half of 400.
        assert_eq!(steps[0], Step::Retry { delay: 100.0, status: None, code: "TIMEOUT" });
        assert_eq!(steps[1], Step::Retry { delay: 200.0, status: None, code: "TIMEOUT" });
        let Step::Done(Err(e)) = &steps[2] else { panic!("not done: {:?}", steps[2]) };
        assert_eq!(e.code, Code::Timeout);
        assert!(e.detail.contains("within 10000 ms (after 3 attempts)"), "{}", e.detail);
        assert!(e.retryable);
    }

    #[test]
    fn jitter_stays_within_the_doubling_ceiling_and_the_cap() {
        for (retries, ceiling) in [(0, 200.0), (1, 400.0), (4, 3200.0), (5, 5000.0), (9, 5000.0)] {
            let bounds = Bounds { max_retries: 10, ..B };
            for (random, want) in [(0.0, 0.0), (0.999_999, ceiling * 0.999_999), (7.0, ceiling), (-1.0, 0.0)] {
                let mut b = Attempts { retries, ..Attempts::new(bounds) };
                b.begin(0.0);
                let step = b.after(Err(AttemptError::Network("reset".into())), &req(), Kind::Read, 0.0, random);
                assert_eq!(step, Step::Retry { delay: want, status: None, code: "NETWORK_ERROR" }, "retry {retries}, random {random}");
            }
        }
    }

    #[test]
    fn writes_are_never_retried_after_a_timeout_a_dropped_connection_or_a_5xx() {
        for outcome in
            [Err(AttemptError::Timeout), Err(AttemptError::Network("socket hang up".into())), answer(502, None), answer(503, None)]
        {
            let (steps, _, _) = run(B, Kind::Write, 5.0, 0.5, vec![outcome.clone(), answer(200, None)]);
            assert_eq!(steps.len(), 1, "{outcome:?}");
            match &steps[0] {
                // A 5xx answer is the call's answer: the vendor's parser turns it into HTTP_ERROR.
                Step::Done(Ok(r)) => assert!(r.status >= 500),
                Step::Done(Err(e)) => {
                    assert!(e.detail.contains("may have arrived"), "{}", e.detail);
                    assert!(!e.retryable);
                }
                other => panic!("retried a write: {other:?}"),
            }
        }
    }

    #[test]
    fn an_unsent_request_is_retried_even_for_a_write_and_names_the_host() {
        let unsent = || Err(AttemptError::Unsent("ECONNREFUSED".into()));
        let (steps, _, _) = run(B, Kind::Write, 1.0, 0.25, vec![unsent(), unsent(), unsent()]);
        assert!(matches!(steps[0], Step::Retry { delay: 50.0, .. }));
        let Step::Done(Err(e)) = &steps[2] else { panic!() };
        assert_eq!(e.code, Code::NetworkError);
        assert!(e.detail.contains("could not reach vendor.example:8443") && e.detail.contains("nothing was sent"), "{}", e.detail);
        assert!(e.retryable);
    }

    #[test]
    fn a_429_is_retried_for_writes_after_its_retry_after() {
        let (steps, _, _) = run(B, Kind::Write, 1.0, 0.9, vec![answer(429, Some("2")), answer(200, None)]);
        assert_eq!(steps[0], Step::Retry { delay: 2000.0, status: Some(429), code: "HTTP_ERROR" });
        assert!(matches!(&steps[1], Step::Done(Ok(r)) if r.status == 200));
    }

    #[test]
    fn a_retry_after_past_the_deadline_ends_the_call_with_the_429() {
        let bounds = Bounds { deadline_ms: 3_000.0, ..B };
        let (steps, _, _) = run(bounds, Kind::Read, 1.0, 0.5, vec![answer(429, Some("5")), answer(200, None)]);
        assert_eq!(steps.len(), 1);
        assert!(matches!(&steps[0], Step::Done(Ok(r)) if r.status == 429));
    }

    #[test]
    fn attempts_are_cut_to_the_deadline_and_the_error_says_the_deadline() {
        let bounds = Bounds { timeout_ms: 4_000.0, deadline_ms: 9_000.0, ..B };
        let (steps, timeouts, now) = run(bounds, Kind::Read, 4_000.0, 0.0, vec![Err(AttemptError::Timeout); 3]);
        // 4000 + 0 backoff + 4000, then only 1000 ms are left for the third attempt.
        assert_eq!(timeouts, vec![4_000.0, 4_000.0, 1_000.0]);
        assert_eq!(code(&steps[2]), Some(Code::Timeout));
        let Step::Done(Err(e)) = &steps[2] else { panic!() };
        assert!(e.detail.contains("deadlineMs (9000 ms)"), "{}", e.detail);
        assert_eq!(now, 1_000_000.0 + 12_000.0);
    }

    #[test]
    fn a_spent_deadline_still_gives_an_attempt_one_millisecond() {
        let mut a = Attempts::new(Bounds { deadline_ms: 10.0, ..B });
        assert_eq!(a.begin(0.0), 10.0);
        assert_eq!(a.begin(50.0), 1.0);
    }

    #[test]
    fn answers_below_500_other_than_429_end_the_call_at_once() {
        for status in [200, 204, 301, 400, 401, 404, 499] {
            let (steps, _, _) = run(B, Kind::Read, 1.0, 0.5, vec![answer(status, None)]);
            assert!(matches!(&steps[0], Step::Done(Ok(r)) if r.status == status));
        }
        // 500 is not among the statuses a read retries (502, 503, 504 are).
        let (steps, _, _) = run(B, Kind::Read, 1.0, 0.5, vec![answer(500, None)]);
        assert!(matches!(&steps[0], Step::Done(Ok(r)) if r.status == 500));
        let (steps, _, _) = run(B, Kind::Read, 1.0, 0.5, vec![answer(504, None), answer(200, None)]);
        assert!(matches!(steps[0], Step::Retry { status: Some(504), .. }));
    }

    #[test]
    fn no_retry_cures_an_abort_a_bad_or_oversized_answer_or_a_redirect() {
        let cases = [
            (AttemptError::Aborted, Code::Aborted, "aborted"),
            (AttemptError::Bad("no valid HTTP status".into()), Code::BadResponse, "no valid HTTP status"),
            (AttemptError::TooBig, Code::BadResponse, "maxResponseBytes (1000000 bytes)"),
            (AttemptError::Redirect("302".into(), "https://elsewhere.example/x".into()), Code::HttpError, "redirects are not followed"),
        ];
        for (e, want, says) in cases {
            let (steps, _, _) = run(B, Kind::Read, 1.0, 0.5, vec![Err(e), answer(200, None)]);
            assert_eq!(steps.len(), 1);
            let Step::Done(Err(err)) = &steps[0] else { panic!() };
            assert_eq!(err.code, want);
            assert!(err.detail.contains(says), "{}", err.detail);
        }
        let (steps, _, _) = run(B, Kind::Read, 1.0, 0.5, vec![Err(AttemptError::Redirect("302".into(), "/x".into()))]);
        let Step::Done(Err(err)) = &steps[0] else { panic!() };
        assert_eq!(err.status, Some(302));
    }

    #[test]
    fn max_retries_zero_sends_once() {
        let (steps, _, _) = run(Bounds { max_retries: 0, ..B }, Kind::Read, 1.0, 0.5, vec![Err(AttemptError::Timeout); 2]);
        assert_eq!(steps.len(), 1);
        let Step::Done(Err(e)) = &steps[0] else { panic!() };
        assert!(!e.detail.contains("after"), "{}", e.detail);
    }
}
