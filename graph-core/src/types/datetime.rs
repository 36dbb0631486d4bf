//! `Edm.DateTimeOffset`: an instant with its UTC offset and Graph's 100-ns precision.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::{Date, Month, OffsetDateTime, Time, UtcOffset};

/// Graph's `Edm.DateTimeOffset`.
///
/// Keeps what the official SDKs lose: the UTC offset and up to seven fractional digits
/// (.NET's 100-ns ticks). A parsed value formats back to the same text, digit for digit:
///
/// ```
/// use graphwire_core::DateTimeOffset;
/// let t: DateTimeOffset = "2016-12-31T23:58:21.6459442-08:00".parse().unwrap();
/// assert_eq!(t.to_string(), "2016-12-31T23:58:21.6459442-08:00");
/// ```
///
/// Parsing accepts `YYYY-MM-DDThh:mm[:ss[.f…]]` followed by `Z` or `±hh:mm`; more than seven
/// fractional digits are rounded to 100 ns. Values made in Rust format with `Z` (or their
/// offset) and as few digits as their precision needs.
#[derive(Clone, Copy)]
pub struct DateTimeOffset {
    value: OffsetDateTime,
    /// Fractional digits to print; `None` prints as few as the value needs.
    fraction_digits: Option<u8>,
}

/// Graph's finest time unit: 100 ns.
const TICK_NANOS: u32 = 100;
/// Fractional digits Graph keeps (100-ns ticks).
const MAX_DIGITS: usize = 7;

/// Why a text is not a `DateTimeOffset`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTimeParseError {
    input: String,
    reason: &'static str,
}

impl fmt::Display for DateTimeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid DateTimeOffset `{}`: {}; expected YYYY-MM-DDThh:mm:ss[.fffffff] followed by Z or ±hh:mm",
            self.input, self.reason
        )
    }
}

impl std::error::Error for DateTimeParseError {}

impl DateTimeOffset {
    /// Wraps a `time` value, truncated to Graph's 100-ns precision.
    pub fn from_offset_date_time(value: OffsetDateTime) -> Self {
        let truncated = value.nanosecond() / TICK_NANOS * TICK_NANOS;
        let value = value.replace_nanosecond(truncated).unwrap_or(value);
        Self {
            value,
            fraction_digits: None,
        }
    }

    /// The current time in UTC.
    pub fn now_utc() -> Self {
        Self::from_offset_date_time(OffsetDateTime::now_utc())
    }

    /// The instant and offset as a `time` value.
    pub fn as_offset_date_time(&self) -> OffsetDateTime {
        self.value
    }

    /// The UTC offset the value was written with.
    pub fn offset(&self) -> UtcOffset {
        self.value.offset()
    }

    fn parse_text(input: &str) -> Result<Self, &'static str> {
        let mut cursor = Cursor {
            bytes: input.as_bytes(),
            pos: 0,
        };
        let year = cursor.digits(4, "the year must have four digits")?;
        cursor.expect(b'-', "expected `-` after the year")?;
        let month = cursor.digits(2, "the month must have two digits")?;
        cursor.expect(b'-', "expected `-` after the month")?;
        let day = cursor.digits(2, "the day must have two digits")?;
        if !cursor.eat(b'T') && !cursor.eat(b't') {
            return Err("expected `T` between date and time");
        }
        let hour = cursor.digits(2, "the hour must have two digits")?;
        cursor.expect(b':', "expected `:` after the hour")?;
        let minute = cursor.digits(2, "the minute must have two digits")?;
        let second = if cursor.eat(b':') {
            cursor.digits(2, "the second must have two digits")?
        } else {
            0
        };
        let (mut ticks, mut digits) = (0u64, None);
        if cursor.eat(b'.') {
            let fraction = cursor.take_while(|b| b.is_ascii_digit());
            if fraction.is_empty() {
                return Err("expected digits after `.`");
            }
            ticks = round_to_ticks(fraction);
            digits = Some(fraction.len().min(MAX_DIGITS) as u8);
        }
        let offset = if cursor.eat(b'Z') || cursor.eat(b'z') {
            UtcOffset::UTC
        } else {
            let sign: i8 = if cursor.eat(b'+') {
                1
            } else if cursor.eat(b'-') {
                -1
            } else {
                return Err("expected `Z` or a `±hh:mm` offset");
            };
            let hours = cursor.digits(2, "the offset hours must have two digits")?;
            cursor.expect(b':', "expected `:` in the offset")?;
            let minutes = cursor.digits(2, "the offset minutes must have two digits")?;
            let (hours, minutes) = (hours as i8, minutes as i8);
            UtcOffset::from_hms(sign * hours, sign * minutes, 0)
                .map_err(|_| "the offset is out of range")?
        };
        if cursor.pos != input.len() {
            return Err("unexpected text after the offset");
        }
        let month = Month::try_from(month as u8).map_err(|_| "the month is out of range")?;
        let date = Date::from_calendar_date(year as i32, month, day as u8)
            .map_err(|_| "the day does not exist in that month")?;
        let time = Time::from_hms(hour as u8, minute as u8, second as u8)
            .map_err(|_| "the time of day is out of range")?;
        // Rounding can carry into the next second (.99999999 → +1 s), so add as a duration;
        // at the edge of the calendar that can leave it (found by fuzzing:
        // `9999-12-31T23:59:59.999999999-14:00`).
        let value = date
            .with_time(time)
            .assume_offset(offset)
            .checked_add(time::Duration::nanoseconds(
                (ticks * u64::from(TICK_NANOS)) as i64,
            ))
            .ok_or("the instant is past the last one a date-time can hold (9999-12-31)")?;
        Ok(Self {
            value,
            fraction_digits: digits,
        })
    }
}

/// Rounds a fractional-second digit string to 100-ns ticks (half up).
fn round_to_ticks(fraction: &[u8]) -> u64 {
    let mut ticks = 0u64;
    for i in 0..MAX_DIGITS {
        let digit = fraction.get(i).map_or(0, |d| u64::from(d - b'0'));
        ticks = ticks * 10 + digit;
    }
    if fraction.get(MAX_DIGITS).is_some_and(|d| *d >= b'5') {
        ticks += 1;
    }
    ticks
}

struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn eat(&mut self, byte: u8) -> bool {
        if self.bytes.get(self.pos) == Some(&byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, byte: u8, reason: &'static str) -> Result<(), &'static str> {
        if self.eat(byte) { Ok(()) } else { Err(reason) }
    }

    fn take_while(&mut self, keep: impl Fn(u8) -> bool) -> &'a [u8] {
        let start = self.pos;
        while self.bytes.get(self.pos).is_some_and(|b| keep(*b)) {
            self.pos += 1;
        }
        &self.bytes[start..self.pos]
    }

    fn digits(&mut self, count: usize, reason: &'static str) -> Result<u32, &'static str> {
        let run = self.take_while(|b| b.is_ascii_digit());
        if run.len() != count {
            return Err(reason);
        }
        Ok(run
            .iter()
            .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0')))
    }
}

impl FromStr for DateTimeOffset {
    type Err = DateTimeParseError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        Self::parse_text(input).map_err(|reason| DateTimeParseError {
            input: input.chars().take(64).collect(),
            reason,
        })
    }
}

impl fmt::Display for DateTimeOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.value;
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            v.year(),
            u8::from(v.month()),
            v.day(),
            v.hour(),
            v.minute(),
            v.second()
        )?;
        let ticks = v.nanosecond() / TICK_NANOS;
        let digits = match self.fraction_digits {
            Some(d) => usize::from(d),
            None if ticks == 0 => 0,
            None => {
                let mut digits = MAX_DIGITS;
                let mut t = ticks;
                while t.is_multiple_of(10) {
                    t /= 10;
                    digits -= 1;
                }
                digits
            }
        };
        if digits > 0 {
            let text = format!("{ticks:07}");
            write!(f, ".{}", &text[..digits])?;
        }
        let offset = v.offset();
        if offset.is_utc() {
            f.write_str("Z")
        } else {
            let (h, m, _) = offset.as_hms();
            let sign = if offset.is_negative() { '-' } else { '+' };
            write!(f, "{sign}{:02}:{:02}", h.unsigned_abs(), m.unsigned_abs())
        }
    }
}

impl fmt::Debug for DateTimeOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DateTimeOffset({self})")
    }
}

/// Equal when both name the same instant with the same offset; the digit count is presentation.
impl PartialEq for DateTimeOffset {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value && self.value.offset() == other.value.offset()
    }
}

impl Eq for DateTimeOffset {}

impl Hash for DateTimeOffset {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.unix_timestamp_nanos().hash(state);
        self.value.offset().whole_seconds().hash(state);
    }
}

impl From<OffsetDateTime> for DateTimeOffset {
    fn from(value: OffsetDateTime) -> Self {
        Self::from_offset_date_time(value)
    }
}

impl From<DateTimeOffset> for OffsetDateTime {
    fn from(value: DateTimeOffset) -> Self {
        value.value
    }
}

impl Serialize for DateTimeOffset {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateTimeOffset {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = DateTimeOffset;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a DateTimeOffset string such as 2016-12-31T23:58:21.6459442-08:00")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<DateTimeOffset, E> {
                text.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) -> String {
        text.parse::<DateTimeOffset>().unwrap().to_string()
    }

    #[test]
    fn keeps_digits_and_offset() {
        for text in [
            "2016-12-31T23:58:21.6459442-08:00",
            "2026-07-17T16:08:48Z",
            "2025-09-11T16:19:36.356115Z",
            "2025-10-04T19:57:36.8479259Z",
            "2020-01-01T00:00:00.0Z",
            "2020-01-01T00:00:00.1000000+05:30",
        ] {
            assert_eq!(round_trip(text), text);
        }
    }

    #[test]
    fn same_instant_after_round_trip() {
        let t: DateTimeOffset = "2016-12-31T23:58:21.6459442-08:00".parse().unwrap();
        let utc = t.as_offset_date_time().to_offset(UtcOffset::UTC);
        assert_eq!(
            (utc.year(), utc.hour(), utc.nanosecond()),
            (2017, 7, 645_944_200)
        );
        assert_eq!(t.offset().whole_hours(), -8);
    }

    #[test]
    fn rounds_beyond_seven_digits() {
        assert_eq!(
            round_trip("2020-01-01T00:00:00.123456789012Z"),
            "2020-01-01T00:00:00.1234568Z"
        );
        assert_eq!(
            round_trip("2020-12-31T23:59:59.99999999Z"),
            "2021-01-01T00:00:00.0000000Z"
        );
    }

    #[test]
    fn optional_seconds_and_lowercase() {
        assert_eq!(round_trip("2020-01-01t10:20z"), "2020-01-01T10:20:00Z");
    }

    #[test]
    fn made_in_rust_prints_minimal_digits() {
        let t = DateTimeOffset::from(time::macros::datetime!(2020-01-02 03:04:05.5 UTC));
        assert_eq!(t.to_string(), "2020-01-02T03:04:05.5Z");
        let t = DateTimeOffset::from(time::macros::datetime!(2020-01-02 03:04:05.123456789 +1));
        assert_eq!(t.to_string(), "2020-01-02T03:04:05.1234567+01:00");
    }

    #[test]
    fn rejects_bad_text_with_reason() {
        let cases = [
            ("2020-13-01T00:00:00Z", "the month is out of range"),
            (
                "2021-02-29T00:00:00Z",
                "the day does not exist in that month",
            ),
            ("2020-01-01T24:00:00Z", "the time of day is out of range"),
            ("2020-01-01T00:00:00", "expected `Z` or a `±hh:mm` offset"),
            ("2020-01-01 00:00:00Z", "expected `T` between date and time"),
            // Fuzz finding: rounding carried the instant past year 9999 (was a panic).
            (
                "9999-12-31T23:59:59.999999999-14:00",
                "the instant is past the last one a date-time can hold (9999-12-31)",
            ),
            ("2020-01-01T00:00:00.Z", "expected digits after `.`"),
            (
                "2020-01-01T00:00:00Zjunk",
                "unexpected text after the offset",
            ),
            ("20-01-01T00:00:00Z", "the year must have four digits"),
        ];
        for (text, reason) in cases {
            let err = text.parse::<DateTimeOffset>().unwrap_err();
            assert_eq!(
                err.to_string(),
                format!(
                    "invalid DateTimeOffset `{text}`: {reason}; expected YYYY-MM-DDThh:mm:ss[.fffffff] followed by Z or ±hh:mm"
                )
            );
        }
    }
}
