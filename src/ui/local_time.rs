//! Dates and times in the reader's time zone.

use js_sys::Date;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `ms` after the epoch as "7 Dec 2026, 20:05", local time.
///
/// Written here rather than by `Intl`: the first `Intl.DateTimeFormat` (or
/// `toLocaleString`) of a page loads the locale data, which took 124-139 ms
/// of the 50-map library's first visit, for words the English UI fixes
/// anyway.
pub fn local_time(ms: f64) -> String {
    let date = Date::new(&ms.into());
    let month = MONTHS
        .get(date.get_month() as usize)
        .copied()
        .unwrap_or("?");
    format!(
        "{} {month} {}, {:02}:{:02}",
        date.get_date(),
        date.get_full_year(),
        date.get_hours(),
        date.get_minutes()
    )
}
