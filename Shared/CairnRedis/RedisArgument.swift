/// One argument of a Redis command, as the bytes sent on the wire. Arguments are passed to
/// hiredis with explicit lengths, so any bytes are safe, NUL included.
///
/// Literals work directly: `client.command(["INCRBY", .init(key), 5])`.
public struct RedisArgument: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public init(_ value: some RedisArgumentConvertible) {
        self = value.redisArgument
    }

    public init(stringLiteral value: String) {
        self.init(bytes: Array(value.utf8))
    }

    public init(integerLiteral value: Int) {
        self.init(bytes: Array(String(value).utf8))
    }
}

/// A value that can be sent as a command argument: strings (UTF-8), raw bytes, numbers.
public protocol RedisArgumentConvertible: Sendable {
    var redisArgument: RedisArgument { get }
}

extension RedisArgument: RedisArgumentConvertible {
    public var redisArgument: RedisArgument { self }
}

extension String: RedisArgumentConvertible {
    public var redisArgument: RedisArgument { RedisArgument(bytes: Array(utf8)) }
}

extension Substring: RedisArgumentConvertible {
    public var redisArgument: RedisArgument { RedisArgument(bytes: Array(utf8)) }
}

extension Array: RedisArgumentConvertible where Element == UInt8 {
    public var redisArgument: RedisArgument { RedisArgument(bytes: self) }
}

extension Int: RedisArgumentConvertible {
    public var redisArgument: RedisArgument { RedisArgument(bytes: Array(String(self).utf8)) }
}

extension Double: RedisArgumentConvertible {
    /// Infinities as Redis spells them (`+inf`, `-inf`), which sorted-set bounds need.
    public var redisArgument: RedisArgument {
        let text = isInfinite ? (self < 0 ? "-inf" : "+inf") : String(self)
        return RedisArgument(bytes: Array(text.utf8))
    }
}
