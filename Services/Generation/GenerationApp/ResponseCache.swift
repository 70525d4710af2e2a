import CairnRedis
import Crypto
import Foundation
import Logging
import Metrics

/// Answers of non-streamed, temperature-0 requests, in Redis under
/// `cairn:generation:v1:<sha256>` of the tenant, the requested model and the normalised request
/// (white space collapsed), for the configured time. Redis trouble is a miss, never a failure;
/// every Redis call is bounded by the client's command timeout. Metrics:
/// `generation_cache_requests_total{outcome=hit|miss|error}`.
struct ResponseCache: Sendable {
    struct Entry: Codable, Sendable {
        var model: String
        var text: String
        var finishReason: FinishReason
        var usage: TokenUsage
        var citations: [Int]
    }

    let redis: RedisClient
    let ttl: Duration
    let logger: Logger

    static func key(tenant: UUID, parts: [String]) -> String {
        var hasher = SHA256()
        hasher.update(data: Data(tenant.uuidString.lowercased().utf8))
        for part in parts {
            let normalised = part.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            hasher.update(data: Data("\u{1F}\(normalised.utf8.count):".utf8))
            hasher.update(data: Data(normalised.utf8))
        }
        return "cairn:generation:v1:" + hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    func lookup(_ key: String) async -> Entry? {
        do {
            guard let text: String = try await redis.get(key) else {
                Self.count("miss")
                return nil
            }
            let entry = try JSONDecoder().decode(Entry.self, from: Data(text.utf8))
            Self.count("hit")
            return entry
        } catch {
            Self.count("error")
            logger.warning("response cache unavailable", metadata: ["error": "\(String(reflecting: error))"])
            return nil
        }
    }

    func store(_ key: String, _ entry: Entry) async {
        do {
            let data = try JSONEncoder().encode(entry)
            try await redis.set(key, String(decoding: data, as: UTF8.self), ttl: ttl)
        } catch {
            logger.warning("response not cached", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    private static func count(_ outcome: String) {
        Counter(label: "generation_cache_requests_total", dimensions: [("outcome", outcome)]).increment()
    }
}
