/// RESP encoding of commands, done on the calling task: the connection thread then only
/// copies finished bytes into hiredis's output buffer (`redisAppendFormattedCommand`), so the
/// one thread every batched caller waits on does as little per command as possible.
enum RedisWire {
    /// `commands` as RESP arrays of bulk strings, the format `redisAppendCommandArgv` produces.
    static func encode(_ commands: [[RedisArgument]]) -> [UInt8] {
        var capacity = 0
        for arguments in commands {
            capacity += 16
            for argument in arguments { capacity += argument.bytes.count + 16 }
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(capacity)
        for arguments in commands { append(arguments, to: &buffer) }
        return buffer
    }

    static func encode(_ arguments: [RedisArgument]) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(arguments.reduce(16) { $0 + $1.bytes.count + 16 })
        append(arguments, to: &buffer)
        return buffer
    }

    private static func append(_ arguments: [RedisArgument], to buffer: inout [UInt8]) {
        buffer.append(UInt8(ascii: "*"))
        appendDecimal(arguments.count, to: &buffer)
        for argument in arguments {
            buffer.append(UInt8(ascii: "$"))
            appendDecimal(argument.bytes.count, to: &buffer)
            buffer.append(contentsOf: argument.bytes)
            buffer.append(contentsOf: crlf)
        }
    }

    private static let crlf: [UInt8] = [13, 10]

    /// A non-negative count in decimal, then CRLF; no `String` in between (this runs per argument).
    private static func appendDecimal(_ value: Int, to buffer: inout [UInt8]) {
        if value < 10 {
            buffer.append(UInt8(ascii: "0") + UInt8(value))
        } else {
            var digits: [UInt8] = []
            var rest = value
            while rest > 0 {
                digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
                rest /= 10
            }
            buffer.append(contentsOf: digits.reversed())
        }
        buffer.append(contentsOf: crlf)
    }
}
