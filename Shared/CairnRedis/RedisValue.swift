/// A reply from Redis (RESP2, as hiredis 0.14 parses it).
public enum RedisValue: Sendable, Hashable {
    /// A nil bulk string or nil array (`GET` of a missing key).
    case null
    case integer(Int)
    /// A bulk string: arbitrary bytes.
    case bulk([UInt8])
    /// A simple status reply such as `OK` or `PONG`.
    case status(String)
    /// An error reply. ``RedisClient/command(_:)`` throws these as ``RedisError/server(_:)``;
    /// they appear as values only inside pipeline results.
    case error(String)
    case array([RedisValue])

    public var isNull: Bool { self == .null }

    /// The integer of an integer reply.
    public var int: Int? {
        if case .integer(let value) = self { value } else { nil }
    }

    /// The bytes of a bulk string or status reply.
    public var bytes: [UInt8]? {
        switch self {
        case .bulk(let bytes): bytes
        case .status(let text): Array(text.utf8)
        default: nil
        }
    }

    /// A bulk string or status reply as text (invalid UTF-8 is repaired, not rejected).
    public var string: String? {
        switch self {
        case .bulk(let bytes): String(decoding: bytes, as: UTF8.self)
        case .status(let text): text
        default: nil
        }
    }

    public var array: [RedisValue]? {
        if case .array(let values) = self { values } else { nil }
    }

    /// The message of an error reply.
    public var errorMessage: String? {
        if case .error(let message) = self { message } else { nil }
    }
}

/// A Swift type a reply can be read as, for the typed helpers (`get(_:as:)`, `hgetall(_:as:)`).
public protocol RedisReplyDecodable: Sendable {
    /// Nil when the reply has a type this Swift type cannot represent.
    init?(redisValue: RedisValue)
}

extension RedisValue: RedisReplyDecodable {
    public init?(redisValue: RedisValue) {
        self = redisValue
    }
}

extension String: RedisReplyDecodable {
    public init?(redisValue: RedisValue) {
        guard let string = redisValue.string else { return nil }
        self = string
    }
}

extension Array: RedisReplyDecodable where Element == UInt8 {
    public init?(redisValue: RedisValue) {
        guard let bytes = redisValue.bytes else { return nil }
        self = bytes
    }
}

extension Int: RedisReplyDecodable {
    /// Integer replies, and bulk strings holding a decimal integer (`GET` of a counter).
    public init?(redisValue: RedisValue) {
        if let int = redisValue.int {
            self = int
        } else if let text = redisValue.string, let int = Int(text) {
            self = int
        } else {
            return nil
        }
    }
}

extension Double: RedisReplyDecodable {
    /// Bulk strings holding a number, as sorted-set scores are returned (`inf` included).
    public init?(redisValue: RedisValue) {
        if let int = redisValue.int {
            self = Double(int)
        } else if let text = redisValue.string, let double = Double(text) {
            self = double
        } else {
            return nil
        }
    }
}

extension RedisValue {
    /// This reply as `T`, or a protocol error naming the command that returned it.
    func decode<T: RedisReplyDecodable>(as type: T.Type, for command: String) throws(RedisError) -> T {
        guard let value = T(redisValue: self) else {
            throw .protocolError("unexpected reply to \(command): \(self.summary)")
        }
        return value
    }

    /// The elements of an array reply, each as `T`.
    func decodeArray<T: RedisReplyDecodable>(of type: T.Type, for command: String) throws(RedisError) -> [T] {
        guard let values = array else { throw .protocolError("unexpected reply to \(command): \(summary)") }
        var result: [T] = []
        result.reserveCapacity(values.count)
        for value in values { result.append(try value.decode(as: T.self, for: command)) }
        return result
    }

    /// A short description for error messages; never the payload itself (it may be private).
    var summary: String {
        switch self {
        case .null: "null"
        case .integer: "integer"
        case .bulk(let bytes): "bulk string of \(bytes.count) bytes"
        case .status(let text): "status \(text.prefix(40))"
        case .error(let message): "error \(message.prefix(80))"
        case .array(let values): "array of \(values.count)"
        }
    }
}
