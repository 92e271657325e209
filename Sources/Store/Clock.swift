#if canImport(Glibc)
import Glibc
#endif

/// Timestamps as ISO 8601 UTC with milliseconds ("2026-11-24T13:05:12.123Z"): sortable as
/// text, readable in the sqlite3 CLI, the same on every machine.
enum Clock {
    static func now() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return format(seconds: Int(ts.tv_sec), milliseconds: Int(ts.tv_nsec / 1_000_000))
    }

    static func format(seconds: Int, milliseconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func pad(_ v: Int32, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(milliseconds), 3))Z"
    }

    /// Parses ISO 8601 date-times as people write them ("2026-11-24T13:05:12Z",
    /// "2026-11-24T13:05:12.5+01:00", "2026-11-24 13:05:12") into the canonical UTC form,
    /// or nil when it is not one: a day past its month's end (2026-02-30, 2025-02-29) is no
    /// date, rather than a day of the next month.
    static func canonical(_ text: String) -> String? {
        let s = Array(text.utf8)
        func digits(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= s.count else { return nil }
            var v = 0
            for i in start..<start + count {
                guard s[i] >= 48 && s[i] <= 57 else { return nil }
                v = v * 10 + Int(s[i] - 48)
            }
            return v
        }
        guard let year = digits(0, 4), s.count >= 10, s[4] == 45, let month = digits(5, 2), s[7] == 45,
              let day = digits(8, 2), (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else { return nil }
        var hour = 0, minute = 0, second = 0, millis = 0, offset = 0
        var i = 10
        if i < s.count {
            guard s[i] == 84 || s[i] == 32, let h = digits(i + 1, 2), i + 3 < s.count, s[i + 3] == 58,
                  let m = digits(i + 4, 2), h < 24, m < 60 else { return nil }
            hour = h; minute = m; i += 6
            if i < s.count && s[i] == 58 {
                guard let sec = digits(i + 1, 2), sec < 61 else { return nil }
                second = sec; i += 3
                if i < s.count && s[i] == 46 {
                    i += 1
                    var scale = 100, any = false
                    while i < s.count && s[i] >= 48 && s[i] <= 57 {
                        millis += Int(s[i] - 48) * scale; scale /= 10; i += 1; any = true
                    }
                    guard any else { return nil }
                }
            }
            if i < s.count {
                if s[i] == 90 && i == s.count - 1 { i += 1 }
                else if s[i] == 43 || s[i] == 45, let oh = digits(i + 1, 2), i + 3 < s.count, s[i + 3] == 58,
                        let om = digits(i + 4, 2), i + 6 == s.count {
                    offset = (s[i] == 43 ? 1 : -1) * (oh * 3600 + om * 60); i += 6
                } else { return nil }
            }
        }
        // Days from the civil date (Howard Hinnant's algorithm), then seconds.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        let seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset
        return format(seconds: seconds, milliseconds: millis)
    }

    /// The Gregorian calendar's days in a month (February 29 in years divisible by 4, except
    /// centuries not divisible by 400).
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
