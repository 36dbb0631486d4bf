//! Adaptive pacing: a client spaces each tenant's requests (Graph throttles per app per
//! tenant) so that throttling is met rarely. It learns the pace from the service's 429s, or
//! starts from a service's documented limits, slows down when it is throttled and speeds up
//! again while it is not: the "adaptive" retry mode of AWS's SDKs, in Graph's terms.
//!
//! Reads and writes are paced apart (Intune allows ten times as many reads), and a `$batch`
//! counts as the requests inside it, as Graph counts them. A request waits its turn before it
//! is sent; that wait is not a retry, and the call's deadline does not count it.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::Method;
use tokio::time::Instant;

use crate::lock::lock;
use crate::meta::ServiceLimits;

/// How a client paces its requests to Graph; see
/// [`GraphClientBuilder::pacing`](crate::GraphClientBuilder::pacing).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pacing {
    /// Per tenant, reads and writes apart: slow start (32 out at once, one more per answer)
    /// until the service first throttles, then spaced at the pace it accepted, slowed on every
    /// throttling and sped up while none comes
    /// (or, with [`GraphClientBuilder::service_limits`](crate::GraphClientBuilder::service_limits),
    /// spaced from the start at the documented limits). The default.
    #[default]
    Adaptive,
    /// As fast as the callers ask: only each retry waits its `Retry-After`.
    Off,
}

/// The pace after a throttling, as a share of the pace that was throttled.
const SLOW_DOWN: f64 = 0.9;
/// Where the pace climbs back to quickly after a throttling: just under where it was.
const CEILING: f64 = 0.97;
/// The share of the distance to the ceiling each accepted request climbs.
const CLIMB: f64 = 0.1;
/// How much each accepted request raises the pace above the ceiling, probing for more.
const PROBE: f64 = 0.0002;
/// After this many accepted requests above the ceiling, each raises the pace twice as much.
const PROBE_DOUBLING: f64 = 100.0;
/// The slowest pace: one request in 60 s.
const MIN_RATE: f64 = 1.0 / 60.0;
/// The longest span over which accepted requests are counted to learn a first pace.
const MAX_SPAN: Duration = Duration::from_secs(60);
/// The fewest accepted requests a first pace is learned from.
const MIN_EVIDENCE: usize = 2;
/// Accepted requests remembered for that count.
const MAX_REMEMBERED: usize = 16_384;
/// Slow start: requests out at once in a lane not paced yet, at first and at most.
const WARMUP_FIRST: u32 = 32;
const WARMUP_MAX: u32 = 4096;
/// A throttling without `Retry-After`: the wait assumed.
const DEFAULT_WAIT: Duration = Duration::from_secs(1);

/// Which requests a lane paces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lane {
    /// GET, HEAD, OPTIONS.
    Read = 0,
    /// Everything else: POST, PUT, PATCH, DELETE.
    Write = 1,
}

impl Lane {
    pub(crate) fn of(method: &Method) -> Self {
        if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
            Self::Read
        } else {
            Self::Write
        }
    }
}

/// How many requests one HTTP request is to the service: one, or the items of a `$batch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Units {
    pub reads: u32,
    pub writes: u32,
}

impl Units {
    /// One request of `method`.
    pub(crate) fn one(method: &Method) -> Self {
        Self::default().add(Lane::of(method), 1)
    }

    pub(crate) fn add(mut self, lane: Lane, count: u32) -> Self {
        match lane {
            Lane::Read => self.reads += count,
            Lane::Write => self.writes += count,
        }
        self
    }

    pub(crate) fn total(self) -> u32 {
        self.reads + self.writes
    }

    fn of(self, lane: Lane) -> u32 {
        match lane {
            Lane::Read => self.reads,
            Lane::Write => self.writes,
        }
    }

    /// The lane a throttling of the whole request is put on: writes are the tighter limit.
    pub(crate) fn main_lane(self) -> Lane {
        if self.writes > 0 {
            Lane::Write
        } else {
            Lane::Read
        }
    }
}

/// The pace of every scope (a credential: one app in one tenant) a client and the clients
/// made from it ([`GraphClient::with_credential`](crate::GraphClient::with_credential)) call.
#[derive(Debug)]
pub(crate) struct Pacer {
    seed: Option<ServiceLimits>,
    scopes: Mutex<HashMap<String, Arc<Mutex<Scope>>>>,
}

impl Pacer {
    pub(crate) fn new(seed: Option<ServiceLimits>) -> Self {
        Self {
            seed,
            scopes: Mutex::new(HashMap::new()),
        }
    }

    /// The scope `key` (a credential's cache key: its app in its tenant), made on first use.
    pub(crate) fn scope(&self, key: &str) -> PacedScope {
        let mut scopes = lock(&self.scopes);
        if let Some(scope) = scopes.get(key) {
            return PacedScope(Arc::clone(scope));
        }
        let scope = Arc::new(Mutex::new(Scope::new(self.seed, Instant::now())));
        scopes.insert(key.to_owned(), Arc::clone(&scope));
        PacedScope(scope)
    }
}

/// A request's turn: how long it waited for it, and its place among those out while the lane
/// is still learning its pace (released when the turn is dropped).
#[derive(Debug)]
pub(crate) struct Turn {
    pub(crate) waited: Duration,
    /// A place among those out, per lane still in slow start.
    _in_flight: [Option<tokio::sync::OwnedSemaphorePermit>; 2],
}

/// One scope's pace, as a client holds it (found once, when the client is made, not per
/// request).
#[derive(Debug, Clone)]
pub(crate) struct PacedScope(Arc<Mutex<Scope>>);

impl PacedScope {
    /// Waits until `units` may be sent: the turn, with how long it was waited for. Hold it
    /// while the request is out. A turn taken before a throttling is given up and taken again
    /// at the slower pace.
    pub(crate) async fn wait_turn(&self, units: Units) -> Turn {
        let began = Instant::now();
        let mut in_flight = [None, None];
        // Not paced yet: slow start bounds what is out at once (a burst that arrives over
        // seconds would otherwise keep meeting the window it is still learning).
        for lane in [Lane::Read, Lane::Write] {
            let count = units.of(lane);
            if count == 0 {
                continue;
            }
            let warmup = {
                let scope = lock(&self.0);
                let warmup = &scope.lanes[lane as usize].warmup;
                (!warmup.is_closed()).then(|| Arc::clone(warmup))
            };
            // Closed once the lane is paced: then the pace decides, below.
            if let Some(warmup) = warmup {
                in_flight[lane as usize] =
                    warmup.acquire_many_owned(count.min(WARMUP_MAX)).await.ok();
            }
        }
        loop {
            let now = Instant::now();
            let (start, epoch, repaced) = {
                let mut scope = lock(&self.0);
                let (start, epoch) = scope.reserve(units, now);
                if start <= now {
                    // Its turn has come: nothing to wait for, nothing to take again.
                    return Turn {
                        waited: began.elapsed(),
                        _in_flight: in_flight,
                    };
                }
                (start, epoch, Arc::clone(&scope.repaced))
            };
            // Woken early when the pace changes: the turn is then taken again at once.
            let mut changed = std::pin::pin!(repaced.notified());
            changed.as_mut().enable();
            if lock(&self.0).epoch == epoch {
                tokio::select! {
                    () = tokio::time::sleep_until(start) => {}
                    () = changed => {}
                }
            }
            if lock(&self.0).epoch == epoch {
                return Turn {
                    waited: began.elapsed(),
                    _in_flight: in_flight,
                };
            }
        }
    }

    /// How many requests of `lane` may go together now (a `$batch` group): all of them while
    /// the lane is not paced, else those whose turns have come (at least one, which then
    /// waits its turn). A paced service throttles a burst beyond its pace, item by item.
    pub(crate) fn room(&self, lane: Lane) -> u32 {
        lock(&self.0).lanes[lane as usize].room(Instant::now())
    }

    /// The service throttled a request of `lane` sent at `sent_at`, asking to wait
    /// `retry_after`.
    pub(crate) fn throttled(&self, lane: Lane, retry_after: Option<Duration>, sent_at: Instant) {
        lock(&self.0).throttled(lane, retry_after, sent_at, Instant::now());
    }

    /// The service answered `units`, sent at `sent_at`, without throttling them.
    pub(crate) fn answered(&self, units: Units, sent_at: Instant) {
        let mut scope = lock(&self.0);
        let now = Instant::now();
        let mut raised = false;
        for lane in [Lane::Read, Lane::Write] {
            raised |= scope.lanes[lane as usize].answered(units.of(lane), sent_at, now);
        }
        if raised {
            scope.repace(now);
        }
    }

    /// The pace of `lane`, in requests per second (`None`: not paced yet).
    #[cfg(test)]
    pub(crate) fn rate(&self, lane: Lane) -> Option<f64> {
        lock(&self.0).lanes[lane as usize].rate
    }
}

/// The first pace of a lane, learned from a burst: what the service accepted of it in the span
/// its first throttling asked to wait.
#[derive(Debug)]
struct Learning {
    /// When it was learned: answers to requests sent before then belong to the burst.
    began: Instant,
    span: Duration,
    accepted: u32,
}

/// One scope's lanes.
#[derive(Debug)]
struct Scope {
    lanes: [LaneState; 2],
    /// Counts changes of pace (a throttling, a first pace raised): a turn taken under an
    /// older count is taken again.
    epoch: u64,
    /// Wakes the turns waiting when the pace changes.
    repaced: Arc<tokio::sync::Notify>,
}

impl Scope {
    fn new(seed: Option<ServiceLimits>, now: Instant) -> Self {
        let seeded = |count: Option<u32>| {
            let rate = seed
                .zip(count)
                .filter(|(limits, count)| *count > 0 && !limits.window.is_zero())
                .map(|(limits, count)| f64::from(count) / limits.window.as_secs_f64() * CEILING);
            LaneState::new(rate, now)
        };
        Self {
            lanes: [
                seeded(seed.map(|s| s.app_any)),
                seeded(seed.map(|s| s.app_writes)),
            ],
            epoch: 0,
            repaced: Arc::new(tokio::sync::Notify::new()),
        }
    }

    /// The pace changed: every turn waiting is taken again, in the order they wake, from now
    /// (or the end of a lane's wait).
    fn repace(&mut self, now: Instant) {
        self.epoch += 1;
        for lane in &mut self.lanes {
            lane.next_start = now.max(lane.blocked_until);
        }
        self.repaced.notify_waiters();
    }

    /// The start of the next `units`, and the epoch it was taken in; the lanes' next starts
    /// move past them.
    fn reserve(&mut self, units: Units, now: Instant) -> (Instant, u64) {
        let lanes = [Lane::Read, Lane::Write].map(|lane| (lane, units.of(lane)));
        let start = lanes
            .iter()
            .filter(|(_, count)| *count > 0)
            .map(|(lane, _)| self.lanes[*lane as usize].earliest())
            .fold(now, Instant::max);
        for (lane, count) in lanes.into_iter().filter(|(_, count)| *count > 0) {
            self.lanes[lane as usize].take(start, count);
        }
        (start, self.epoch)
    }

    fn throttled(
        &mut self,
        lane: Lane,
        retry_after: Option<Duration>,
        sent_at: Instant,
        now: Instant,
    ) {
        let wait = retry_after.unwrap_or(DEFAULT_WAIT);
        if self.lanes[lane as usize].throttled(wait, sent_at, now) {
            self.repace(now);
        }
    }
}

/// The pace of one kind of request in one scope.
#[derive(Debug)]
struct LaneState {
    /// Requests per second; `None` until the service throttles (or a seed gives a pace).
    rate: Option<f64>,
    /// Where the pace climbs back to quickly after a throttling.
    ceiling: f64,
    /// The earliest start of the next request.
    next_start: Instant,
    /// No request starts before this: the service's `Retry-After`.
    blocked_until: Instant,
    /// When the last throttling episode began.
    episode_began: Option<Instant>,
    /// When recent requests were accepted, oldest first: a first pace is learned from them.
    accepted: VecDeque<Instant>,
    /// The first pace's lesson, while answers to the burst it was learned from come in.
    learning: Option<Learning>,
    /// Accepted requests since the pace passed its ceiling.
    probed: u32,
    /// Slow start while the lane is not paced: at most this many requests out at once, one
    /// more for each answered (doubling each round trip, up to [`WARMUP_MAX`]); closed once
    /// the lane is paced.
    warmup: Arc<tokio::sync::Semaphore>,
    warmup_size: u32,
}

impl LaneState {
    fn new(rate: Option<f64>, now: Instant) -> Self {
        let warmup = Arc::new(tokio::sync::Semaphore::new(WARMUP_FIRST as usize));
        if rate.is_some() {
            warmup.close();
        }
        Self {
            warmup,
            warmup_size: WARMUP_FIRST,
            learning: None,
            probed: 0,
            rate,
            ceiling: rate.unwrap_or(0.0),
            next_start: now,
            blocked_until: now,
            episode_began: None,
            accepted: VecDeque::new(),
        }
    }

    fn earliest(&self) -> Instant {
        self.next_start.max(self.blocked_until)
    }

    fn room(&self, now: Instant) -> u32 {
        match self.rate {
            None => u32::MAX,
            Some(rate) => {
                let overdue = now.saturating_duration_since(self.earliest()).as_secs_f64();
                // Whole turns only; at least the one the group waits for.
                (overdue * rate).floor().min(f64::from(u32::MAX - 1)) as u32 + 1
            }
        }
    }

    /// `count` requests start at `start`: the next may start one interval each later.
    fn take(&mut self, start: Instant, count: u32) {
        self.next_start = match self.rate {
            Some(rate) => start + Duration::from_secs_f64(f64::from(count) / rate),
            None => start,
        };
    }

    /// Counts `count` accepted requests; true when they raised a first pace (answers to the
    /// burst it was learned from, coming in after it).
    fn answered(&mut self, count: u32, sent_at: Instant, now: Instant) -> bool {
        // Answers to the burst the first pace was learned from, still coming in: the service
        // accepted more of it than was known then, so the pace it allows is higher.
        if let Some(learning) = self
            .learning
            .as_mut()
            .filter(|learning| sent_at <= learning.began)
        {
            learning.accepted += count;
            let learned = f64::from(learning.accepted) / learning.span.as_secs_f64() * CEILING;
            // Sent before the pace was known: they tell nothing more about it.
            if learned > self.ceiling {
                self.ceiling = learned;
                self.rate = self.rate.map(|rate| rate.max(learned));
                return true;
            }
            return false;
        }
        let Some(rate) = &mut self.rate else {
            // Not paced yet: slow start grows, and a first pace will be learned from these.
            let more = count.min(WARMUP_MAX - self.warmup_size);
            self.warmup_size += more;
            self.warmup.add_permits(more as usize);
            for _ in 0..count {
                if self.accepted.len() == MAX_REMEMBERED {
                    self.accepted.pop_front();
                }
                self.accepted.push_back(now);
            }
            return false;
        };
        for _ in 0..count {
            *rate = if *rate < self.ceiling {
                let climbed = *rate + (self.ceiling - *rate) * CLIMB;
                // Close enough is there: the climb would otherwise never end.
                if self.ceiling - climbed < self.ceiling * 0.001 {
                    self.ceiling
                } else {
                    climbed
                }
            } else {
                // Above the ceiling, slowly at first, then faster the longer no
                // throttling comes (a pace learned too low does not stay low).
                self.probed += 1;
                *rate * (1.0 + PROBE * (1.0 + f64::from(self.probed - 1) / PROBE_DOUBLING))
            };
        }
        false
    }

    /// A throttling. The first of an episode holds the lane for its wait (at most
    /// [`MAX_SPAN`]) and slows the pace: true when it did. A throttling inside that wait, or
    /// of a request sent before the episode began (a burst still arriving), is the same
    /// episode and changes nothing for the lane; each such request still waits its own
    /// `Retry-After`. (TCP does not cut its window twice for losses from before a cut.)
    fn throttled(&mut self, wait: Duration, sent_at: Instant, now: Instant) -> bool {
        let sent_before_the_last = self.episode_began.is_some_and(|began| sent_at <= began);
        if now < self.blocked_until || sent_before_the_last {
            return false;
        }
        self.episode_began = Some(now);
        let until = now + wait.min(MAX_SPAN);
        self.blocked_until = until;
        let (throttled_at, slow_down) = match self.rate {
            // Paced too fast: slow down well below, then climb back to just under.
            Some(rate) => {
                self.learning = None;
                (rate, SLOW_DOWN)
            }
            // The pace the service accepted over the wait it asks for (a sliding window's
            // wait is the rest of its window), learned from the requests it answered: a
            // measure, not an overshoot, so paced just under it at once.
            None => {
                let span = wait.clamp(Duration::from_secs(1), MAX_SPAN);
                let since = now.checked_sub(span).unwrap_or(now);
                let accepted = self.accepted.iter().filter(|t| **t >= since).count();
                // Requests still out (this one included): a burst whose accepted answers may
                // still be on their way, and raise the pace learned when they come.
                let out =
                    (self.warmup_size as usize).saturating_sub(self.warmup.available_permits());
                if accepted + out.saturating_sub(1) < MIN_EVIDENCE {
                    // A lone request: too little to tell a pace from, only waited out.
                    return true;
                }
                self.learning = Some(Learning {
                    began: now,
                    span,
                    accepted: u32::try_from(accepted).unwrap_or(u32::MAX),
                });
                // At least one a span, until the burst's answers say more.
                (accepted.max(1) as f64 / span.as_secs_f64(), CEILING)
            }
        };
        self.probed = 0;
        self.rate = Some((throttled_at * slow_down).max(MIN_RATE));
        self.ceiling = (throttled_at * CEILING).max(MIN_RATE);
        // Paced from now on: those waiting to go out go by the pace instead, and the answers
        // kept to learn a first pace are no longer needed.
        self.warmup.close();
        self.accepted = VecDeque::new();
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCOPE: &str = "contoso|app";

    /// Equal to the millisecond the paused clock's timers keep.
    fn close(a: Duration, b: Duration) -> bool {
        a.abs_diff(b) <= Duration::from_millis(1)
    }

    #[tokio::test(start_paused = true)]
    async fn unpaced_until_throttled_then_paced_at_what_was_accepted() {
        let pacer = Pacer::new(None);
        let write = Units::one(&Method::PATCH);
        for _ in 0..5 {
            assert_eq!(
                pacer.scope(SCOPE).wait_turn(write).await.waited,
                Duration::ZERO
            );
        }
        pacer
            .scope(SCOPE)
            .answered(write.add(Lane::Write, 4), Instant::now());
        // Five accepted in the second before a throttling that asks for 1 s: 5 per second,
        // paced just under it.
        pacer
            .scope(SCOPE)
            .throttled(Lane::Write, Some(Duration::from_secs(1)), Instant::now());
        assert_eq!(pacer.scope(SCOPE).rate(Lane::Write), Some(4.85));
        assert_eq!(
            pacer.scope(SCOPE).rate(Lane::Read),
            None,
            "reads are a lane apart"
        );
        // The next turn waits out the Retry-After, the one after it one interval more.
        assert_eq!(
            pacer.scope(SCOPE).wait_turn(write).await.waited,
            Duration::from_secs(1)
        );
        let second = pacer.scope(SCOPE).wait_turn(write).await.waited;
        assert!(
            close(second, Duration::from_secs_f64(1.0 / 4.85)),
            "{second:?}"
        );
        // Another scope is not slowed.
        assert_eq!(
            pacer.scope("fabrikam|app").wait_turn(write).await.waited,
            Duration::ZERO
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_pace_climbs_back_to_just_under_the_throttled_one_then_probes() {
        let pacer = Pacer::new(None);
        pacer
            .scope(SCOPE)
            .answered(Units::default().add(Lane::Write, 10), Instant::now());
        pacer
            .scope(SCOPE)
            .throttled(Lane::Write, Some(Duration::from_secs(1)), Instant::now());
        // Learned: ten a second, paced at 9.7.
        assert_eq!(pacer.scope(SCOPE).rate(Lane::Write), Some(9.7));
        // Throttlings inside the first one's wait are the same episode: no second slow-down.
        tokio::time::advance(Duration::from_millis(500)).await;
        pacer
            .scope(SCOPE)
            .throttled(Lane::Write, Some(Duration::from_secs(1)), Instant::now());
        assert_eq!(pacer.scope(SCOPE).rate(Lane::Write), Some(9.7));
        // Throttled while paced, after the wait: 9.7 was too fast, so 0.9 of it, and the
        // ceiling just under it.
        tokio::time::advance(Duration::from_millis(600)).await;
        pacer
            .scope(SCOPE)
            .throttled(Lane::Write, Some(Duration::from_secs(1)), Instant::now());
        assert_eq!(pacer.scope(SCOPE).rate(Lane::Write), Some(9.7 * 0.9));
        // Each accepted request climbs a tenth of the way to the ceiling (97 % of the
        // throttled pace): short by 0.07 × 9.7 × 0.9ⁿ after n.
        let ceiling = 9.7 * 0.97;
        let gap = ceiling - 9.7 * 0.9;
        pacer
            .scope(SCOPE)
            .answered(Units::default().add(Lane::Write, 40), Instant::now());
        let rate = pacer.scope(SCOPE).rate(Lane::Write).unwrap_or_default();
        assert!(
            (rate - (ceiling - gap * 0.9f64.powi(40))).abs() < 1e-9,
            "{rate}"
        );
        // Within 0.1 % of it the next one is there; then each raises it a little.
        pacer
            .scope(SCOPE)
            .answered(Units::default().add(Lane::Write, 1), Instant::now());
        assert_eq!(pacer.scope(SCOPE).rate(Lane::Write), Some(ceiling));
        pacer
            .scope(SCOPE)
            .answered(Units::default().add(Lane::Write, 500), Instant::now());
        let probed = pacer.scope(SCOPE).rate(Lane::Write).unwrap_or_default();
        // The n-th raises it by 0.02 % × (1 + (n − 1) / 100): faster the longer it goes on.
        let expected = (1..=500).fold(ceiling, |rate, n| {
            rate * (1.0 + 0.0002 * (1.0 + f64::from(n - 1) / 100.0))
        });
        assert!(
            (probed - expected).abs() < 1e-9,
            "{probed} against {expected}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_burst_still_arriving_after_the_wait_slows_the_pace_only_once() {
        let pacer = Pacer::new(None);
        pacer
            .scope(SCOPE)
            .answered(Units::default().add(Lane::Write, 5), Instant::now());
        let burst_sent = Instant::now();
        pacer
            .scope(SCOPE)
            .throttled(Lane::Write, Some(Duration::from_secs(1)), burst_sent);
        assert_eq!(pacer.scope(SCOPE).rate(Lane::Write), Some(4.85));
        // 3 s later, answers to the same burst (sent before the first 429 was known) are
        // still arriving: the same episode, not three more slow-downs.
        tokio::time::advance(Duration::from_secs(3)).await;
        pacer
            .scope(SCOPE)
            .throttled(Lane::Write, Some(Duration::from_secs(1)), burst_sent);
        assert_eq!(pacer.scope(SCOPE).rate(Lane::Write), Some(4.85));
        // A request sent after it, throttled: a new episode.
        pacer
            .scope(SCOPE)
            .throttled(Lane::Write, Some(Duration::from_secs(1)), Instant::now());
        assert_eq!(pacer.scope(SCOPE).rate(Lane::Write), Some(4.85 * 0.9));
    }

    #[tokio::test(start_paused = true)]
    async fn answers_to_the_burst_that_arrive_after_the_first_429_raise_the_pace_learned() {
        let pacer = Pacer::new(None);
        let contoso = pacer.scope(SCOPE);
        let burst_sent = Instant::now();
        tokio::time::advance(Duration::from_millis(100)).await;
        // Two of the burst's accepted answers are in when its first 429 arrives: 2 a second.
        contoso.answered(Units::default().add(Lane::Write, 2), burst_sent);
        contoso.throttled(Lane::Write, Some(Duration::from_secs(1)), burst_sent);
        assert_eq!(contoso.rate(Lane::Write), Some(2.0 * 0.97));
        // Three more of the same burst arrive: the service accepted five in its window.
        tokio::time::advance(Duration::from_millis(300)).await;
        contoso.answered(Units::default().add(Lane::Write, 3), burst_sent);
        assert_eq!(contoso.rate(Lane::Write), Some(5.0 * 0.97));
        // A request sent after the lesson teaches nothing about the burst.
        contoso.answered(Units::default().add(Lane::Write, 1), Instant::now());
        assert_eq!(contoso.rate(Lane::Write), Some(5.0 * 0.97 * (1.0 + 0.0002)));
    }

    #[tokio::test(start_paused = true)]
    async fn a_batch_takes_a_turn_per_request_inside_it() {
        let pacer = Pacer::new(Some(ServiceLimits::new(
            Duration::from_secs(20),
            100,
            200,
            1000,
            2000,
        )));
        // Seeded: 100 writes in 20 s, just under: 4.85 per second.
        let rate = pacer.scope(SCOPE).rate(Lane::Write).unwrap_or_default();
        assert!((rate - 4.85).abs() < 1e-9, "{rate}");
        let batch = Units::default().add(Lane::Write, 20).add(Lane::Read, 5);
        assert_eq!(
            pacer.scope(SCOPE).wait_turn(batch).await.waited,
            Duration::ZERO
        );
        // The next write waits for twenty writes' worth.
        assert_eq!(pacer.scope(SCOPE).room(Lane::Write), 1);
        let waited = pacer
            .scope(SCOPE)
            .wait_turn(Units::one(&Method::POST))
            .await
            .waited;
        assert!(
            close(waited, Duration::from_secs_f64(20.0 / 4.85)),
            "{waited:?}"
        );
        // Idle for 2 s after that write's turn: 1.79 s overdue, eight whole turns at 4.85 a
        // second, and the one a group waits for.
        tokio::time::advance(Duration::from_secs(2)).await;
        assert_eq!(pacer.scope(SCOPE).room(Lane::Write), 9);
        // A scope seen for the first time has one turn ready; an unpaced lane has room for all.
        assert_eq!(pacer.scope("fabrikam|app").room(Lane::Write), 1);
        assert_eq!(Pacer::new(None).scope(SCOPE).room(Lane::Write), u32::MAX);
    }

    #[tokio::test(start_paused = true)]
    async fn a_turn_taken_before_a_throttling_is_taken_again_at_the_new_pace() {
        let pacer = Arc::new(Pacer::new(Some(ServiceLimits::new(
            Duration::from_secs(1),
            10,
            10,
            100,
            100,
        ))));
        let write = Units::one(&Method::PATCH);
        // Ten queued writes at 9.7 per second.
        let waits: Vec<_> = (0..10)
            .map(|_| {
                let pacer = Arc::clone(&pacer);
                tokio::spawn(async move { pacer.scope(SCOPE).wait_turn(write).await.waited })
            })
            .collect();
        tokio::task::yield_now().await;
        // A throttling with a 2 s wait: every turn not yet reached is taken again after it, at
        // the new pace (9.7 × 0.9 a second).
        pacer
            .scope(SCOPE)
            .throttled(Lane::Write, Some(Duration::from_secs(2)), Instant::now());
        let mut waited = Vec::new();
        for wait in waits {
            waited.push(wait.await.unwrap_or_default());
        }
        assert_eq!(waited[0], Duration::ZERO, "the first went at once");
        assert_eq!(waited[1], Duration::from_secs(2), "{waited:?}");
        let interval = Duration::from_secs_f64(1.0 / (9.7 * 0.9));
        assert!(
            waited[1..].windows(2).all(|w| close(w[1] - w[0], interval)),
            "{waited:?}"
        );
    }
}
