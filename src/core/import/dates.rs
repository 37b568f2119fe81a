//! Timestamps as survey tools write them. `3/4/2024` is March 4th in a US
//! export and April 3rd in a European one, and a single cell cannot tell, so
//! every cell is read both ways and the column decides (see
//! [`DateEvidence`]). Times without a zone are taken as UTC: exports carry
//! the survey account's zone, which is not knowable from the file.

/// A cell read with the month first and with the day first. Both are equal
/// for formats that fix the order (ISO 8601, `D.M.YYYY`, Unix seconds); one is
/// `None` when the cell is impossible in that order (`13/2/2024`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Reading {
    pub month_first: Option<f64>,
    pub day_first: Option<f64>,
}

/// How a column settles its day/month order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// No cell depends on the order.
    #[default]
    Fixed,
    MonthFirst,
    DayFirst,
    /// Every order-dependent cell fits both orders: the user must choose.
    Ambiguous,
}

/// Counts of cells that only one order can read, gathered over the whole
/// column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DateEvidence {
    pub month_first_only: usize,
    pub day_first_only: usize,
    pub either: usize,
}

impl DateEvidence {
    pub fn add(&mut self, reading: &Reading) {
        match (reading.month_first, reading.day_first) {
            (Some(m), Some(d)) if m != d => self.either += 1,
            (Some(_), None) => self.month_first_only += 1,
            (None, Some(_)) => self.day_first_only += 1,
            _ => {}
        }
    }

    /// The majority wins when cells contradict each other; the minority then
    /// become per-cell errors rather than silently shifting dates.
    pub fn order(&self) -> DateOrder {
        match (self.month_first_only, self.day_first_only) {
            (0, 0) if self.either == 0 => DateOrder::Fixed,
            (0, 0) => DateOrder::Ambiguous,
            (m, d) if m >= d => DateOrder::MonthFirst,
            _ => DateOrder::DayFirst,
        }
    }
}

/// Reads a timestamp as seconds since 1970-01-01 UTC.
pub fn parse(cell: &str) -> Option<Reading> {
    let cell = super::values::trim(cell);
    if let Some(secs) = iso(cell.as_bytes()) {
        return Some(Reading {
            month_first: Some(secs),
            day_first: Some(secs),
        });
    }
    parse_any(cell)
}

/// The shape most exports use, `YYYY-MM-DD[(T| )hh:mm[:ss]][Z]`, read
/// straight from its bytes: a large export has one in every row, and the
/// general reading's splitting and number parsing made dates the costliest
/// column to import. `None` for anything else, which [`parse_any`] reads.
fn iso(b: &[u8]) -> Option<f64> {
    #[inline(always)]
    fn num(digits: &[u8]) -> Option<i64> {
        let mut n = 0;
        for &d in digits {
            if !d.is_ascii_digit() {
                return None;
            }
            n = n * 10 + i64::from(d - b'0');
        }
        Some(n)
    }
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let days = days_from_civil(num(&b[..4])?, num(&b[5..7])?, num(&b[8..10])?)?;
    let tod = match &b[10..] {
        [] => 0,
        [b'T' | b' ', rest @ ..] => {
            let (clock, zone) = match rest {
                [_, _, b':', _, _, b':', _, _, zone @ ..] => (&rest[..8], zone),
                [_, _, b':', _, _, zone @ ..] => (&rest[..5], zone),
                _ => return None,
            };
            if !matches!(zone, [] | [b'Z']) {
                return None;
            }
            let (h, m) = (num(&clock[..2])?, num(&clock[3..5])?);
            let s = if clock.len() == 8 {
                num(&clock[6..])?
            } else {
                0
            };
            if h > 23 || m > 59 || s > 60 {
                return None;
            }
            h * 3600 + m * 60 + s
        }
        _ => return None,
    };
    Some((days * 86_400 + tod) as f64)
}

/// Every format [`parse`] knows, read the general way.
fn parse_any(cell: &str) -> Option<Reading> {
    general(cell).map(|(reading, _)| reading)
}

/// Seconds east of UTC that a cell states for its time (`+02:00`, `UTC+3`,
/// `GMT-05:30`): [`parse`] subtracts it to give UTC, so adding it back gives
/// the date and time as written in the file. 0 for a time without a zone or
/// with `Z`, a date alone, and Unix seconds (which have no written date but
/// their UTC one). `None` when `parse` cannot read the cell.
pub fn written_offset(cell: &str) -> Option<i64> {
    let cell = super::values::trim(cell);
    if iso(cell.as_bytes()).is_some() {
        return Some(0);
    }
    general(cell).map(|(_, offset)| offset)
}

/// [`parse_any`]'s reading, with the zone offset it subtracted.
fn general(cell: &str) -> Option<(Reading, i64)> {
    if cell.is_empty() {
        return None;
    }
    if cell.bytes().all(|b| b.is_ascii_digit()) {
        let n: f64 = cell.parse().ok()?;
        let secs = match cell.len() {
            9 | 10 => n,
            12 | 13 => n / 1000.0,
            _ => return None,
        };
        return Some((
            Reading {
                month_first: Some(secs),
                day_first: Some(secs),
            },
            0,
        ));
    }
    let date_end = cell
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '-' | '/' | '.')))
        .unwrap_or(cell.len());
    let (date, rest) = cell.split_at(date_end);
    let rest = rest.strip_prefix(['T', ' ']).unwrap_or(rest).trim_start();
    let (clock, offset) = if rest.is_empty() {
        (0.0, 0)
    } else {
        time_of_day(rest)?
    };
    let tod = clock - offset as f64;

    let sep = date.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let mut parts = date.split(sep);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let num = |s: &str| -> Option<i64> {
        (!s.is_empty() && s.len() <= 4)
            .then(|| s.parse().ok())
            .flatten()
    };
    let (na, nb, nc) = (num(a)?, num(b)?, num(c)?);
    let year = |s: &str, n: i64| -> Option<i64> {
        match s.len() {
            4 => Some(n),
            2 => Some(2000 + n),
            _ => None,
        }
    };
    let at =
        |y: i64, m: i64, d: i64| days_from_civil(y, m, d).map(|days| days as f64 * 86_400.0 + tod);
    let reading = if a.len() == 4 {
        let secs = at(na, nb, nc);
        Reading {
            month_first: secs,
            day_first: secs,
        }
    } else if sep == '.' {
        let secs = at(year(c, nc)?, nb, na);
        Reading {
            month_first: secs,
            day_first: secs,
        }
    } else {
        let y = year(c, nc)?;
        Reading {
            month_first: at(y, na, nb),
            day_first: at(y, nb, na),
        }
    };
    (reading.month_first.is_some() || reading.day_first.is_some()).then_some((reading, offset))
}

/// `h:mm[:ss[.fff]] [AM|PM] [Z|UTC|GMT][±h[:mm]]`, as seconds after midnight
/// on the clock as written, and the zone offset in seconds east of UTC
/// (which the caller subtracts for UTC).
fn time_of_day(text: &str) -> Option<(f64, i64)> {
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(text.len());
    let (clock, mut rest) = text.split_at(end);
    let mut fields = clock.split(':');
    let hour: i64 = fields.next()?.parse().ok()?;
    let minute: i64 = fields.next()?.parse().ok()?;
    let second: f64 = fields.next().map_or(Some(0.0), |s| s.parse().ok())?;
    if fields.next().is_some() || minute > 59 || !(0.0..61.0).contains(&second) {
        return None;
    }
    rest = rest.trim_start();
    let mut hour = hour;
    let meridiem = rest
        .get(..2)
        .filter(|m| m.eq_ignore_ascii_case("AM") || m.eq_ignore_ascii_case("PM"));
    match meridiem {
        Some(m) => {
            if !(1..=12).contains(&hour) {
                return None;
            }
            hour = hour % 12 + if m.eq_ignore_ascii_case("PM") { 12 } else { 0 };
            rest = rest[2..].trim_start();
        }
        None if hour > 23 => return None,
        None => {}
    }
    let offset = zone_offset(rest)?;
    Some(((hour * 3600 + minute * 60) as f64 + second, offset))
}

/// Seconds east of UTC for `Z`, `UTC+3`, `GMT-05:30`, `+0200`, or nothing.
fn zone_offset(text: &str) -> Option<i64> {
    let text = text.trim();
    let signed = match text.get(..3) {
        Some(zone) if zone.eq_ignore_ascii_case("UTC") || zone.eq_ignore_ascii_case("GMT") => {
            &text[3..]
        }
        _ => text,
    };
    if signed.is_empty() || signed.eq_ignore_ascii_case("Z") {
        return Some(0);
    }
    let (sign, digits) = match signed.as_bytes()[0] {
        b'+' => (1, &signed[1..]),
        b'-' => (-1, &signed[1..]),
        _ => return None,
    };
    let (h, m) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None if digits.len() == 4 => digits.split_at(2),
        None => (digits, "0"),
    };
    let h: i64 = h.parse().ok()?;
    let m: i64 = m.parse().ok()?;
    (h <= 14 && m < 60).then_some(sign * (h * 3600 + m * 60))
}

/// Seconds since 1970 as `YYYY-MM-DDTHH:MM:SS`, for spreadsheet date cells
/// that carry a serial number rather than text.
pub fn format_iso(secs: f64) -> String {
    let total = secs.round() as i64;
    let (days, tod) = (total.div_euclid(86_400), total.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        tod / 3600,
        tod % 3600 / 60,
        tod % 60
    )
}

/// Inverse of [`days_from_civil`]: (year, month, day) of a day counted from
/// 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// algorithm), `None` for dates that do not exist.
#[inline(always)]
pub fn days_from_civil(y: i64, m: i64, d: i64) -> Option<i64> {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if d < 1 || d > days_in_month {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

// Native only: proptest has no wasm32 backend here.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The fast reading of ISO dates agrees with the general one on
        /// everything it accepts, well-formed or not.
        #[test]
        fn iso_agrees_with_the_general_reading(
            cell in "[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?Z?)?[Z+0-9]{0,2}",
        ) {
            if let Some(secs) = iso(cell.as_bytes()) {
                let general = parse_any(&cell);
                prop_assert_eq!(general, Some(Reading { month_first: Some(secs), day_first: Some(secs) }));
            }
        }
    }

    #[test]
    fn iso_reads_the_common_shapes() {
        for (cell, secs) in [
            ("2024-03-04", MAR_4_2024),
            ("2024-03-04T10:20:30Z", MAR_4_2024 + 37_230.0),
            ("2024-03-04 10:20", MAR_4_2024 + 37_200.0),
        ] {
            assert_eq!(iso(cell.as_bytes()), Some(secs), "{cell}");
        }
        for cell in [
            "2024-02-30",
            "2024-03-04T24:00",
            "2024-03-04T10:20+02",
            "2024-3-4",
        ] {
            assert_eq!(iso(cell.as_bytes()), None, "{cell}");
        }
    }

    const MAR_4_2024: f64 = 1_709_510_400.0;
    const APR_3_2024: f64 = 1_712_102_400.0;

    fn fixed(cell: &str) -> f64 {
        let r = parse(cell).unwrap_or_else(|| panic!("{cell} did not parse"));
        assert_eq!(
            r.month_first, r.day_first,
            "{cell} should not depend on order"
        );
        r.month_first.unwrap()
    }

    #[test]
    fn iso_8601_with_zones() {
        assert_eq!(fixed("2024-03-04"), MAR_4_2024);
        assert_eq!(fixed("2024-03-04T10:30:00Z"), MAR_4_2024 + 37_800.0);
        assert_eq!(fixed("2024-03-04 10:30:00"), MAR_4_2024 + 37_800.0);
        assert_eq!(fixed("2024-03-04T10:30:00+02:00"), MAR_4_2024 + 30_600.0);
        assert_eq!(fixed("2024-03-04T10:30:00.500-0130"), MAR_4_2024 + 43_200.5);
    }

    #[test]
    fn google_forms_and_locale_formats() {
        assert_eq!(fixed("2024/03/04 1:00:00 PM UTC+3"), MAR_4_2024 + 36_000.0);
        assert_eq!(
            fixed("2024/03/04 12:15:00 AM GMT-5"),
            MAR_4_2024 + 900.0 + 18_000.0
        );
        assert_eq!(fixed("4.3.2024"), MAR_4_2024);
        assert_eq!(fixed("04.03.2024 08:00"), MAR_4_2024 + 28_800.0);
        assert_eq!(fixed("1709510400"), MAR_4_2024);
        assert_eq!(fixed("1709510400000"), MAR_4_2024);
    }

    #[test]
    fn slashes_are_read_both_ways() {
        let r = parse("3/4/2024 2:05:09 PM").unwrap();
        assert_eq!(r.month_first, Some(MAR_4_2024 + 50_709.0));
        assert_eq!(r.day_first, Some(APR_3_2024 + 50_709.0));
        let only_day_first = parse("13/4/2024").unwrap();
        assert_eq!(only_day_first.month_first, None);
        assert!(only_day_first.day_first.is_some());
    }

    #[test]
    fn column_order_from_evidence() {
        let mut ev = DateEvidence::default();
        for cell in ["3/4/2024", "5/6/2024"] {
            ev.add(&parse(cell).unwrap());
        }
        assert_eq!(ev.order(), DateOrder::Ambiguous);
        ev.add(&parse("3/25/2024").unwrap());
        assert_eq!(ev.order(), DateOrder::MonthFirst);
        let mut eu = DateEvidence::default();
        eu.add(&parse("25/3/2024").unwrap());
        eu.add(&parse("3/4/2024").unwrap());
        assert_eq!(eu.order(), DateOrder::DayFirst);
        let mut iso = DateEvidence::default();
        iso.add(&parse("2024-03-04").unwrap());
        assert_eq!(iso.order(), DateOrder::Fixed);
    }

    #[test]
    fn written_offsets_give_back_the_date_as_written() {
        for (cell, offset) in [
            ("2024-03-04", 0),
            ("2024-03-04T10:30:00Z", 0),
            ("2024-03-04T01:30:00+02:00", 7_200),
            ("2024-03-04T23:30:00.500-0130", -5_400),
            ("2024/03/04 11:30:00 PM UTC+3", 10_800),
            ("2024/03/04 12:15:00 AM GMT-5", -18_000),
            ("3/4/2024 2:05:09 PM", 0),
            ("4.3.2024", 0),
            ("1709510400", 0),
        ] {
            assert_eq!(written_offset(cell), Some(offset), "{cell}");
        }
        assert_eq!(written_offset("yesterday"), None);
        // The UTC reading is the day before; with the offset back, the
        // date is the one written.
        let cell = "2024-03-04T01:30:00+02:00";
        let utc = fixed(cell);
        assert!(utc < MAR_4_2024);
        let local = utc + written_offset(cell).unwrap() as f64;
        assert_eq!((local / 86_400.0).floor(), MAR_4_2024 / 86_400.0);
    }

    #[test]
    fn civil_days_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), Some(0));
        assert_eq!(days_from_civil(2024, 2, 29), Some(19_782));
        assert_eq!(days_from_civil(2023, 2, 29), None);
        for days in [-719_468, -1, 0, 19_782, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), Some(days));
        }
    }

    #[test]
    fn iso_formatting_round_trips() {
        assert_eq!(format_iso(MAR_4_2024 + 50_709.0), "2024-03-04T14:05:09");
        assert_eq!(format_iso(-86_400.0), "1969-12-31T00:00:00");
        assert_eq!(fixed(&format_iso(951_782_400.0)), 951_782_400.0);
    }

    #[test]
    fn nonsense_is_rejected() {
        for cell in [
            "",
            "yesterday",
            "2024-02-30",
            "13/13/2024",
            "12:00",
            "2024-03-04 25:00",
            "123",
        ] {
            assert_eq!(parse(cell), None, "{cell}");
        }
    }
}
