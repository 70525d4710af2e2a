/// Hashes.
extension RedisClient {
    /// `HSET` of several fields: how many fields were new.
    @discardableResult
    public func hset(_ key: String, _ fields: [String: some RedisArgumentConvertible]) async throws -> Int {
        guard !fields.isEmpty else { return 0 }
        var arguments: [RedisArgument] = ["HSET", RedisArgument(key)]
        for (field, value) in fields { arguments += [RedisArgument(field), value.redisArgument] }
        return try await command(arguments).decode(as: Int.self, for: "HSET")
    }

    /// `HSET` of one field: true when the field was new.
    @discardableResult
    public func hset(_ key: String, field: String, to value: some RedisArgumentConvertible) async throws -> Bool {
        try await command(["HSET", RedisArgument(key), RedisArgument(field), value.redisArgument])
            .decode(as: Int.self, for: "HSET") == 1
    }

    /// `HGET`: the field's value as `T`, or nil when the key or field is missing.
    public func hget<T: RedisReplyDecodable>(_ key: String, field: String, as type: T.Type = T.self) async throws -> T? {
        let reply = try await command(["HGET", RedisArgument(key), RedisArgument(field)])
        return reply.isNull ? nil : try reply.decode(as: T.self, for: "HGET")
    }

    /// `HGETALL`: every field and value (empty when the key is missing).
    public func hgetall<T: RedisReplyDecodable>(_ key: String, as type: T.Type = T.self) async throws -> [String: T] {
        let values = try await command(["HGETALL", RedisArgument(key)]).decodeArray(of: RedisValue.self, for: "HGETALL")
        var result: [String: T] = [:]
        result.reserveCapacity(values.count / 2)
        for index in stride(from: 0, to: values.count - 1, by: 2) {
            result[try values[index].decode(as: String.self, for: "HGETALL")] = try values[index + 1].decode(as: T.self, for: "HGETALL")
        }
        return result
    }

    /// `HINCRBY`: the field's value after adding `increment`.
    @discardableResult
    public func hincrBy(_ key: String, field: String, _ increment: Int) async throws -> Int {
        try await command(["HINCRBY", RedisArgument(key), RedisArgument(field), RedisArgument(increment)])
            .decode(as: Int.self, for: "HINCRBY")
    }

    /// `HDEL`: how many of the fields existed.
    @discardableResult
    public func hdel(_ key: String, fields: [String]) async throws -> Int {
        guard !fields.isEmpty else { return 0 }
        return try await command(["HDEL", RedisArgument(key)] + fields.map(RedisArgument.init)).decode(as: Int.self, for: "HDEL")
    }
}
