import CairnRedis
import Crypto
import Logging
import Metrics
import Synchronization

/// Vectors in Redis, so a text embedded once (a repeated query, an unchanged chunk of a new
/// document version) is not embedded again.
///
/// - Key: `cairn:embedding:v1:<model namespace>:<SHA-256 of the text's UTF-8 bytes, hex>`. The
///   namespace names the provider, model, dimensions and (local model) the weights' checksum,
///   so another model's vectors are never served. The text is hashed exactly as given, with no
///   normalisation: folding case, whitespace or Unicode forms could map two texts the
///   tokenizer treats differently to one vector, and the cache must never change a result.
/// - Value: the text's token count (uint32) then the vector (float32), little-endian: 1,540
///   bytes for 384 dimensions, exact (float16 would lose precision for a 2× saving).
/// - Reads are one `MGET` per call, writes one pipeline of `SET ... PX ttl`.
/// - Redis is optional: any failure is a miss (reads) or skipped (writes), counted, and logged
///   once when the outage starts and once when it ends. Each round trip is bounded by the
///   client's command timeout; while Redis is down the client fails within microseconds.
final class EmbeddingCache: Sendable {
    struct Entry: Sendable, Equatable {
        var vector: [Float]
        var tokens: Int
    }

    let redis: RedisClient
    let ttl: Duration
    private let logger: Logger
    private let isDown = Mutex(false)
    private let hits = Counter(label: "embedding_cache_lookups_total", dimensions: [("outcome", "hit")])
    private let misses = Counter(label: "embedding_cache_lookups_total", dimensions: [("outcome", "miss")])
    private let errors = Counter(label: "embedding_cache_errors_total")

    init(redis: RedisClient, ttl: Duration, logger: Logger) {
        self.redis = redis
        self.ttl = ttl
        self.logger = logger
    }

    static func key(namespace: String, text: String) -> String {
        let digest = SHA256.hash(data: Array(text.utf8))
        return "cairn:embedding:v1:\(namespace):" + digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// One entry per key, nil where Redis has none (or cannot be asked).
    func lookup(_ keys: [String], dimensions: Int) async -> [Entry?] {
        guard !keys.isEmpty else { return [] }
        do {
            let reply = try await redis.command(["MGET"] + keys.map { RedisArgument($0) })
            guard let values = reply.array, values.count == keys.count else {
                throw RedisError.protocolError("MGET answered \(reply.array?.count ?? -1) values for \(keys.count) keys")
            }
            reachable()
            let entries = values.map { $0.bytes.flatMap { Self.decode($0, dimensions: dimensions) } }
            let found = entries.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
            hits.increment(by: found)
            misses.increment(by: keys.count - found)
            return entries
        } catch {
            unreachable(error)
            misses.increment(by: keys.count)
            return Array(repeating: nil, count: keys.count)
        }
    }

    /// Stores the entries, each with the configured time to live; failures are only counted.
    func store(_ entries: [(key: String, entry: Entry)]) async {
        guard !entries.isEmpty else { return }
        let milliseconds = RedisArgument(Int(ttl.components.seconds * 1_000 + ttl.components.attoseconds / 1_000_000_000_000_000))
        let commands: [[RedisArgument]] = entries.map { ["SET", RedisArgument($0.key), RedisArgument(bytes: Self.encode($0.entry)), "PX", milliseconds] }
        do {
            let replies = try await redis.pipeline(commands)
            if let failure = replies.first(where: { $0.errorMessage != nil }) {
                throw RedisError.server(failure.errorMessage ?? "")
            }
            reachable()
        } catch {
            unreachable(error)
        }
    }

    static func encode(_ entry: Entry) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(4 + entry.vector.count * 4)
        withUnsafeBytes(of: UInt32(clamping: entry.tokens).littleEndian) { bytes.append(contentsOf: $0) }
        VectorCoding.append(entry.vector, to: &bytes)
        return bytes
    }

    /// Nil for a value of any other length (another dimension count, a foreign value).
    static func decode(_ bytes: [UInt8], dimensions: Int) -> Entry? {
        guard bytes.count == 4 + dimensions * 4, let vector = VectorCoding.floats(bytes[4...]) else { return nil }
        let tokens = Int(UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24)
        return Entry(vector: vector, tokens: tokens)
    }

    private func reachable() {
        let wasDown = isDown.withLock { down in
            defer { down = false }
            return down
        }
        if wasDown { logger.notice("embedding cache reachable again") }
    }

    private func unreachable(_ error: any Error) {
        errors.increment()
        let wasDown = isDown.withLock { down in
            defer { down = true }
            return down
        }
        if !wasDown {
            logger.warning("embedding cache unavailable; embedding without it", metadata: ["error": "\(error)"])
        }
    }
}

/// An embedder with the cache in front: repeated texts within a call are embedded once, texts
/// found in Redis are not embedded at all, and what was embedded is stored. Without a cache it
/// still folds repeats.
struct CachedEmbedder: Embedder {
    let base: any Embedder
    let cache: EmbeddingCache?

    var info: EmbeddingModelInfo { base.info }

    func embed(_ texts: [String], priority: EmbeddingPriority) async throws -> Embeddings {
        var unique: [String] = []
        var slotOfText: [String: Int] = [:]
        let slots = texts.map { text in
            if let slot = slotOfText[text] { return slot }
            slotOfText[text] = unique.count
            unique.append(text)
            return unique.count - 1
        }
        let namespace = info.cacheNamespace
        let keys = cache == nil ? [] : unique.map { EmbeddingCache.key(namespace: namespace, text: $0) }
        var entries = await cache?.lookup(keys, dimensions: info.dimensions) ?? Array(repeating: nil, count: unique.count)
        let missing = entries.indices.filter { entries[$0] == nil }
        if !missing.isEmpty {
            let fresh = try await base.embed(missing.map { unique[$0] }, priority: priority)
            var stored: [(key: String, entry: EmbeddingCache.Entry)] = []
            for (position, slot) in missing.enumerated() {
                let entry = EmbeddingCache.Entry(vector: fresh.vectors[position], tokens: fresh.tokenCounts[position])
                entries[slot] = entry
                if cache != nil { stored.append((keys[slot], entry)) }
            }
            await cache?.store(stored)
        }
        return Embeddings(vectors: slots.map { entries[$0]!.vector }, tokenCounts: slots.map { entries[$0]!.tokens })
    }
}
