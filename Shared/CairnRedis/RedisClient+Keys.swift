/// Strings, counters and expiry.
extension RedisClient {
    /// `PING`; throws unless Redis answers `PONG`.
    public func ping() async throws {
        let reply = try await command(["PING"])
        guard reply.string == "PONG" else { throw RedisError.protocolError("unexpected reply to PING: \(reply.summary)") }
    }

    /// `GET`: the value as `T` (`String`, `[UInt8]`, `Int`, ...), or nil when the key is missing.
    public func get<T: RedisReplyDecodable>(_ key: String, as type: T.Type = T.self) async throws -> T? {
        let reply = try await command(["GET", RedisArgument(key)])
        return reply.isNull ? nil : try reply.decode(as: T.self, for: "GET")
    }

    /// `SET`, optionally with an expiry (`PX`, millisecond precision) and only if the key
    /// does not exist yet (`NX`). Returns false when `onlyIfAbsent` kept an existing value.
    @discardableResult
    public func set(
        _ key: String, _ value: some RedisArgumentConvertible, ttl: Duration? = nil, onlyIfAbsent: Bool = false
    ) async throws -> Bool {
        var arguments: [RedisArgument] = ["SET", RedisArgument(key), value.redisArgument]
        if let ttl { arguments += ["PX", RedisArgument(ttl.redisMilliseconds)] }
        if onlyIfAbsent { arguments.append("NX") }
        return try await !command(arguments).isNull
    }

    /// `DEL`: how many of the keys existed.
    @discardableResult
    public func del(_ keys: [String]) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        return try await command(["DEL"] + keys.map(RedisArgument.init)).decode(as: Int.self, for: "DEL")
    }

    /// `DEL`: how many of the keys existed.
    @discardableResult
    public func del(_ keys: String...) async throws -> Int {
        try await del(keys)
    }

    /// `EXISTS` for one key.
    public func exists(_ key: String) async throws -> Bool {
        try await command(["EXISTS", RedisArgument(key)]).decode(as: Int.self, for: "EXISTS") > 0
    }

    /// `INCRBY`: the value after adding `increment` (a missing key counts as 0).
    @discardableResult
    public func incrBy(_ key: String, _ increment: Int) async throws -> Int {
        try await command(["INCRBY", RedisArgument(key), RedisArgument(increment)]).decode(as: Int.self, for: "INCRBY")
    }

    /// `PEXPIRE`: sets the key's time to live; false when the key does not exist.
    @discardableResult
    public func expire(_ key: String, after ttl: Duration) async throws -> Bool {
        try await command(["PEXPIRE", RedisArgument(key), RedisArgument(ttl.redisMilliseconds)])
            .decode(as: Int.self, for: "PEXPIRE") == 1
    }

    /// `PTTL`: the remaining time to live; nil when the key is missing or never expires.
    public func ttl(_ key: String) async throws -> Duration? {
        let milliseconds = try await command(["PTTL", RedisArgument(key)]).decode(as: Int.self, for: "PTTL")
        return milliseconds < 0 ? nil : .milliseconds(milliseconds)
    }
}

extension Duration {
    /// Whole milliseconds, rounded up and at least 1: Redis rejects a zero expiry, and
    /// rounding down would expire a key earlier than asked.
    var redisMilliseconds: Int {
        let (seconds, attoseconds) = components
        let milliseconds = seconds * 1_000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int(Swift.max(1, milliseconds))
    }
}
