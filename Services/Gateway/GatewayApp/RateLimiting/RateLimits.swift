/// Which limit a route counts against.
public enum RouteClass: String, Sendable, CaseIterable {
    case general, chat, search
}

/// One class's limits in a plan: per caller (user or API key) a sustained rate with a burst
/// capacity, and a tenant-wide rate shared by all its callers.
public struct ClassLimit: Sendable, Hashable, Codable {
    public var perMinute: Int
    /// Requests a caller may make at once from idle; the sustained rate refills it.
    public var burst: Int
    public var tenantPerMinute: Int

    public init(perMinute: Int, burst: Int, tenantPerMinute: Int) {
        self.perMinute = perMinute
        self.burst = burst
        self.tenantPerMinute = tenantPerMinute
    }

    enum CodingKeys: String, CodingKey {
        case perMinute = "per_minute"
        case burst
        case tenantPerMinute = "tenant_per_minute"
    }
}

/// The rate limits of a plan, per route class.
public struct RateLimits: Sendable, Hashable, Codable, CustomStringConvertible {
    public var general: ClassLimit
    public var chat: ClassLimit
    public var search: ClassLimit

    public init(general: ClassLimit, chat: ClassLimit, search: ClassLimit) {
        self.general = general
        self.chat = chat
        self.search = search
    }

    /// The seeds' defaults: 100 requests/min general, 30 chat, 60 search, per caller; ten times
    /// that per tenant.
    public static let freePlan = RateLimits(
        general: .init(perMinute: 100, burst: 100, tenantPerMinute: 1_000),
        chat: .init(perMinute: 30, burst: 30, tenantPerMinute: 300),
        search: .init(perMinute: 60, burst: 60, tenantPerMinute: 600)
    )

    public subscript(routeClass: RouteClass) -> ClassLimit {
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
        var found: [RouteClass: ClassLimit] = [:]
        for entry in text.split(separator: ",") {
            let pair = entry.split(separator: "=")
            let numbers = pair.count == 2 ? pair[1].split(separator: "/").compactMap { Int($0) } : []
            guard let routeClass = RouteClass(rawValue: String(pair.first ?? "").trimmingCharacters(in: .whitespaces)),
                  numbers.count == 3, numbers.allSatisfy({ $0 > 0 }) else { return nil }
            found[routeClass] = ClassLimit(perMinute: numbers[0], burst: numbers[1], tenantPerMinute: numbers[2])
        }
        guard let general = found[.general], let chat = found[.chat], let search = found[.search] else { return nil }
        self.init(general: general, chat: chat, search: search)
    }
}
