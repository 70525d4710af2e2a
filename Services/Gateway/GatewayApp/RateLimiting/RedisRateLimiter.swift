import CairnRedis

/// GCRA in Redis: one `EVALSHA` per decision, atomic over all of the request's buckets, with
/// Redis's own clock (replicas of the gateway may disagree about the time; Redis does not).
/// Keys share the tenant's hash tag so a cluster keeps them in one slot.
public struct RedisRateLimiter: Sendable {
    /// KEYS: the buckets. ARGV: interval (µs) and capacity per bucket. Returns
    /// {allowed, limit, remaining, reset µs, retry-after µs}, the same as ``GCRA/decide``.
    public static let script = RedisScript("""
    local t = redis.call('TIME')
    local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
    local allowed = 1
    local retry = 0
    local current = {}
    local advanced = {}
    for i = 1, #KEYS do
      local interval = tonumber(ARGV[2 * i - 1])
      local window = interval * tonumber(ARGV[2 * i])
      local tat = tonumber(redis.call('GET', KEYS[i]) or now)
      if tat < now then tat = now end
      local nxt = tat + interval
      if nxt - now > window then
        allowed = 0
        if nxt - now - window > retry then retry = nxt - now - window end
      end
      current[i] = tat
      advanced[i] = nxt
    end
    local limit, remaining, reset = 0, nil, 0
    for i = 1, #KEYS do
      local interval = tonumber(ARGV[2 * i - 1])
      local capacity = tonumber(ARGV[2 * i])
      local tat = current[i]
      if allowed == 1 then
        tat = advanced[i]
        redis.call('SET', KEYS[i], string.format('%d', tat), 'PX', math.ceil((tat - now) / 1000) + 1000)
      end
      local left = math.floor((interval * capacity - (tat - now)) / interval)
      if left < 0 then left = 0 end
      if remaining == nil or left < remaining then
        remaining, limit, reset = left, capacity, tat - now
      end
    end
    if allowed == 1 then retry = 0 end
    return {allowed, limit, remaining, reset, retry}
    """)

    let client: RedisClient

    func decide(keys: [String], buckets: [GCRABucket]) async throws -> RateDecision {
        var arguments: [RedisArgument] = []
        for bucket in buckets { arguments += [.init(String(bucket.interval)), .init(String(bucket.capacity))] }
        let reply = try await client.evaluate(Self.script, keys: keys, arguments: arguments)
        guard let values = reply.array?.compactMap(\.int), values.count == 5 else {
            throw RedisError.protocolError("rate-limit script answered \(reply)")
        }
        return RateDecision(
            allowed: values[0] == 1, limit: Int64(values[1]), remaining: Int64(values[2]),
            resetMicros: Int64(values[3]), retryAfterMicros: Int64(values[4])
        )
    }
}
