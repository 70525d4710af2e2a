import Metrics

/// The client's metrics: `redis_commands_total{command,outcome}` and `redis_unavailable_total`.
///
/// The `command` label is the command name for the commands the typed helpers send, and
/// `OTHER` for anything else, so a caller building command names dynamically cannot blow up
/// the label space. Counters are looked up per call, as the HTTP metrics are, rather than
/// cached: a counter made before `CairnMetrics.bootstrap()` would stay a no-op forever.
enum RedisMetrics {
    static let knownCommands: Set<String> = [
        "PING", "GET", "SET", "DEL", "EXISTS", "INCR", "INCRBY", "DECRBY", "EXPIRE", "PEXPIRE", "TTL", "PTTL",
        "HGET", "HSET", "HGETALL", "HINCRBY", "HDEL",
        "ZADD", "ZRANGE", "ZRANGEBYSCORE", "ZREM", "ZCARD", "ZSCORE", "ZREMRANGEBYSCORE",
        "EVAL", "EVALSHA", "SCRIPT", "PIPELINE",
    ]

    static func commandLabel(_ arguments: [RedisArgument]) -> String {
        guard let first = arguments.first, first.bytes.count <= 16 else { return "OTHER" }
        let name = String(decoding: first.bytes, as: UTF8.self).uppercased()
        return knownCommands.contains(name) ? name : "OTHER"
    }

    static func record(command: String, error: RedisError) {
        if case .unavailable = error { Counter(label: "redis_unavailable_total").increment() }
        record(command: command, outcome: error.outcomeLabel)
    }

    static func record(command: String, outcome: String) {
        Counter(label: "redis_commands_total", dimensions: [("command", command), ("outcome", outcome)]).increment()
    }
}
