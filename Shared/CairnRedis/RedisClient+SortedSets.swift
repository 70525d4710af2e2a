/// Sorted sets. Score bounds are inclusive; pass `-.infinity`/`.infinity` for open ends.
extension RedisClient {
    /// `ZADD` of several members: how many were new (existing members get the new score).
    @discardableResult
    public func zadd(_ key: String, _ members: [(score: Double, member: String)]) async throws -> Int {
        guard !members.isEmpty else { return 0 }
        var arguments: [RedisArgument] = ["ZADD", RedisArgument(key)]
        for (score, member) in members { arguments += [RedisArgument(score), RedisArgument(member)] }
        return try await command(arguments).decode(as: Int.self, for: "ZADD")
    }

    /// `ZADD` of one member: true when it was new.
    @discardableResult
    public func zadd(_ key: String, score: Double, member: String) async throws -> Bool {
        try await zadd(key, [(score, member)]) == 1
    }

    /// `ZRANGE` by rank, lowest score first; negative ranks count from the end (`0, -1` is all).
    public func zrange<T: RedisReplyDecodable>(
        _ key: String, from start: Int, to stop: Int, as type: T.Type = T.self
    ) async throws -> [T] {
        try await command(["ZRANGE", RedisArgument(key), RedisArgument(start), RedisArgument(stop)])
            .decodeArray(of: T.self, for: "ZRANGE")
    }

    /// `ZRANGEBYSCORE`, lowest score first, optionally `LIMIT offset count`.
    public func zrangeByScore<T: RedisReplyDecodable>(
        _ key: String, min: Double, max: Double, limit: (offset: Int, count: Int)? = nil, as type: T.Type = T.self
    ) async throws -> [T] {
        var arguments: [RedisArgument] = ["ZRANGEBYSCORE", RedisArgument(key), RedisArgument(min), RedisArgument(max)]
        if let limit { arguments += ["LIMIT", RedisArgument(limit.offset), RedisArgument(limit.count)] }
        return try await command(arguments).decodeArray(of: T.self, for: "ZRANGEBYSCORE")
    }

    /// `ZSCORE`: the member's score, or nil when it is not in the set.
    public func zscore(_ key: String, member: String) async throws -> Double? {
        let reply = try await command(["ZSCORE", RedisArgument(key), RedisArgument(member)])
        return reply.isNull ? nil : try reply.decode(as: Double.self, for: "ZSCORE")
    }

    /// `ZREM`: how many of the members were in the set.
    @discardableResult
    public func zrem(_ key: String, members: [String]) async throws -> Int {
        guard !members.isEmpty else { return 0 }
        return try await command(["ZREM", RedisArgument(key)] + members.map(RedisArgument.init)).decode(as: Int.self, for: "ZREM")
    }

    /// `ZCARD`: the number of members (0 when the key is missing).
    public func zcard(_ key: String) async throws -> Int {
        try await command(["ZCARD", RedisArgument(key)]).decode(as: Int.self, for: "ZCARD")
    }

    /// `ZREMRANGEBYSCORE`: how many members were removed.
    @discardableResult
    public func zremRangeByScore(_ key: String, min: Double, max: Double) async throws -> Int {
        try await command(["ZREMRANGEBYSCORE", RedisArgument(key), RedisArgument(min), RedisArgument(max)])
            .decode(as: Int.self, for: "ZREMRANGEBYSCORE")
    }
}
