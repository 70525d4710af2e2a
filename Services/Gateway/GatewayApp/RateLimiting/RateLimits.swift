import Foundation
import CairnBillingAPI

/// Which limit a route counts against.
public enum RouteClass: String, Sendable, CaseIterable {
    case general, chat, search
}

/// A plan's rate limits (billing's ``RateLimits``) as the gateway reads and configures them.
extension RateLimits: CustomStringConvertible {
    /// The seeds' defaults, billing's free plan: 100 requests/min general, 30 chat, 60 search,
    /// per caller; ten times that per tenant.
    public static let freePlan = RateLimits(
        general: .init(perMinute: 100, burst: 100, tenantPerMinute: 1_000),
        chat: .init(perMinute: 30, burst: 30, tenantPerMinute: 300),
        search: .init(perMinute: 60, burst: 60, tenantPerMinute: 600)
    )

    public subscript(routeClass: RouteClass) -> RateLimit {
        switch routeClass {
        case .general: general
        case .chat: chat
        case .search: search
        }
    }

    /// `general=100/100/1000,chat=30/30/300,search=60/60/600` (per minute / burst / tenant per minute).
    public var description: String {
        RouteClass.allCases.map { "\($0.rawValue)=\(self[$0].perMinute)/\(self[$0].burst)/\(self[$0].tenantPerMinute)" }.joined(separator: ",")
    }

    public init?(parsing text: String) {
        var found: [RouteClass: RateLimit] = [:]
        for entry in text.split(separator: ",") {
            let pair = entry.split(separator: "=")
            let numbers = pair.count == 2 ? pair[1].split(separator: "/").compactMap { Int($0) } : []
            guard let routeClass = RouteClass(rawValue: String(pair.first ?? "").trimmingCharacters(in: .whitespaces)),
                  numbers.count == 3, numbers.allSatisfy({ $0 > 0 }) else { return nil }
            found[routeClass] = RateLimit(perMinute: numbers[0], burst: numbers[1], tenantPerMinute: numbers[2])
        }
        guard let general = found[.general], let chat = found[.chat], let search = found[.search] else { return nil }
        self.init(general: general, chat: chat, search: search)
    }
}
