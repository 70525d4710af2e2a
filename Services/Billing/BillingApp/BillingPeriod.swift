import Foundation

/// Period arithmetic, all in UTC. A monthly period starts at 00:00 UTC on the anchor's day of
/// the month (clamped in shorter months: an anchor on the 31st starts February's period on the
/// 28th or 29th); daily periods start at 00:00 UTC. Anchored at ``calendarAnchor`` the months
/// are calendar months: the periods of tenants without a subscription.
enum BillingPeriod {
    static let calendarAnchor = Date(timeIntervalSince1970: 0)
    /// The period start of meters that never reset (documents, storage).
    static let lifetime = DateInterval(start: Date(timeIntervalSince1970: 0), end: .distantFuture)

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    static func day(containing date: Date) -> DateInterval {
        let start = calendar.startOfDay(for: date)
        return DateInterval(start: start, end: calendar.date(byAdding: .day, value: 1, to: start)!)
    }

    /// The monthly period containing `date` for a subscription anchored at `anchor`.
    static func month(containing date: Date, anchor: Date) -> DateInterval {
        cycle(containing: date, anchor: anchor, months: 1)
    }

    /// The yearly billing period containing `date`.
    static func year(containing date: Date, anchor: Date) -> DateInterval {
        cycle(containing: date, anchor: anchor, months: 12)
    }

    private static func cycle(containing date: Date, anchor: Date, months: Int) -> DateInterval {
        let origin = calendar.startOfDay(for: anchor)
        func start(_ index: Int) -> Date { calendar.date(byAdding: .month, value: index * months, to: origin)! }
        var index = (calendar.dateComponents([.month], from: origin, to: date).month ?? 0) / months
        while start(index) > date { index -= 1 }
        while start(index + 1) <= date { index += 1 }
        return DateInterval(start: start(index), end: start(index + 1))
    }
}

extension BillingPeriod {
    /// `YYYY-MM-DD` of the UTC day containing `date`.
    static func dayString(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    /// 00:00 UTC of a `YYYY-MM-DD` day; nil if it is not one.
    static func day(parsing text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
              dayString(date) == text
        else { return nil }
        return date
    }
}
