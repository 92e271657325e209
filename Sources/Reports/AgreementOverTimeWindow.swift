import Printable

/// How agreement over time cuts a batch's labels into windows (docs/statistics.md,
/// "Agreement over time"): calendar days or ISO weeks (Monday 00:00 to Monday 00:00, UTC),
/// or runs of N items.
public enum OverTimeWindow: Sendable, Equatable, CustomStringConvertible {
    case day
    case week
    case items(Int)

    /// "day", "week" or a whole number of items ≥ 2 ("20", also "20items"); nil with the
    /// reason otherwise.
    public static func parse(_ text: String) -> Result<OverTimeWindow, WindowSpellingError> {
        switch text {
        case "day": return .success(.day)
        case "week": return .success(.week)
        default:
            let digits = text.hasSuffix("items") ? String(text.dropLast(5)) : text
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits) else {
                return .failure(WindowSpellingError(message: "unknown window \(quoted(text)); write day, week or a number of items such as 20"))
            }
            guard n >= 2 else {
                return .failure(WindowSpellingError(message: "a window of \(n) item\(n == 1 ? "" : "s") has no agreement to measure; give at least 2 items per window (e.g. --window 20)"))
            }
            return .success(.items(n))
        }
    }

    public var description: String {
        switch self {
        case .day: return "day"
        case .week: return "week"
        case .items(let n): return "\(n) items"
        }
    }

    /// The calendar window of a canonical UTC timestamp ("2026-11-30T00:00:00.000Z"): its
    /// day ("2026-11-30") or its ISO week ("2026-W49"). Nil for item windows, which follow
    /// order rather than the calendar, and for a timestamp that is not a date.
    func calendarKey(_ at: String) -> String? {
        let day = String(at.prefix(10))
        switch self {
        case .day: return day
        case .week: return CivilDate(day).map { $0.isoWeek } ?? nil
        case .items: return nil
        }
    }
}

public struct WindowSpellingError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// A proleptic Gregorian date as days since 1970-01-01 (Hinnant's days_from_civil), for
/// ISO weeks without Foundation's calendars (the statistics read no clock and no locale).
struct CivilDate {
    let days: Int

    init(year: Int, month: Int, day: Int) {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        days = era * 146_097 + doe - 719_468
    }

    init(days: Int) { self.days = days }

    /// "YYYY-MM-DD…"; nil when it does not start with one.
    init?(_ text: String) {
        let b = Array(text.utf8.prefix(10))
        guard b.count == 10, b[4] == 45, b[7] == 45 else { return nil }
        func number(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r { guard (48...57).contains(b[i]) else { return nil }; v = v * 10 + Int(b[i] - 48) }
            return v
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10), (1...12).contains(m), (1...31).contains(d) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    var civil: (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// 0 for Monday … 6 for Sunday (1970-01-01 was a Thursday).
    var weekday: Int { ((days % 7) + 7 + 3) % 7 }

    /// "2026-W49": the ISO year and week (the week's Thursday decides the year).
    var isoWeek: String {
        let thursday = CivilDate(days: days - weekday + 3)
        let year = thursday.civil.year
        let week = (thursday.days - CivilDate(year: year, month: 1, day: 1).days) / 7 + 1
        return "\(year)-W\(week < 10 ? "0" : "")\(week)"
    }
}
