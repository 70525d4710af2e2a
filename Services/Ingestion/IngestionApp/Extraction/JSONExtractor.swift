import Foundation

/// Which values of a JSON document are its text: keys separated by dots, `*` for any key.
/// Arrays are walked through at every step, so `sections.*.body` reaches
/// `{"sections": [{"a": {"body": "..."}}]}` and `items.text` reaches every `text` of an `items`
/// array. A matched object or array contributes all its strings; a matched number or boolean its
/// literal. (A key containing a dot cannot be named.)
public struct JSONFieldPath: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let components: [String]

    public init(_ path: String) {
        components = path.split(separator: ".", omittingEmptySubsequences: true).map(String.init)
    }

    public init(stringLiteral value: String) { self.init(value) }

    public var description: String { components.joined(separator: ".") }

    func matches(_ keys: [String]) -> Bool {
        keys.count == components.count && isPrefix(keys)
    }

    /// Whether some descendant of the value at `keys` could match.
    func isPrefix(_ keys: [String]) -> Bool {
        guard keys.count <= components.count else { return false }
        return zip(keys, components).allSatisfy { key, component in component == "*" || component == key }
    }
}

/// `application/json`: the string values (or the configured fields) in document order, one
/// block each. Our own small parser keeps object keys in document order, which the chunks'
/// determinism needs (dictionary order differs between processes), and bounds nesting depth.
enum JSONExtractor {
    static func extract(_ data: Data, charset: String?, fields: [JSONFieldPath], limits: IngestionLimits)
        throws(ExtractionError) -> ExtractedDocument
    {
        let text = try TextDecoding.decode(data, charset: charset)
        var parser = JSONParser(bytes: Array(text.utf8), maxDepth: limits.maxJSONDepth)
        let root = try parser.parseDocument()
        var builder = DocumentBuilder(format: .json, maxUTF8Bytes: limits.maxExtractedTextBytes)
        var keys: [String] = []
        try visit(root, keys: &keys, fields: fields, into: &builder)
        return builder.finish()
    }

    private static func visit(_ value: JSONValue, keys: inout [String], fields: [JSONFieldPath],
                              into builder: inout DocumentBuilder) throws(ExtractionError) {
        if fields.isEmpty || fields.contains(where: { $0.matches(keys) }) {
            try collect(value, into: &builder, scalarsToo: !fields.isEmpty)
            return
        }
        guard fields.contains(where: { $0.isPrefix(keys) }) else { return }
        switch value {
        case .array(let elements):
            for element in elements { try visit(element, keys: &keys, fields: fields, into: &builder) }
        case .object(let members):
            for (key, member) in members {
                keys.append(key)
                defer { keys.removeLast() }
                try visit(member, keys: &keys, fields: fields, into: &builder)
            }
        case .string, .number, .bool, .null:
            break
        }
    }

    /// Every string under `value`; numbers and booleans only when a field names them directly.
    private static func collect(_ value: JSONValue, into builder: inout DocumentBuilder, scalarsToo: Bool) throws(ExtractionError) {
        switch value {
        case .string(let text): try builder.appendText(text)
        case .number(let literal) where scalarsToo: try builder.appendText(literal)
        case .bool(let flag) where scalarsToo: try builder.appendText(flag ? "true" : "false")
        case .array(let elements):
            for element in elements { try collect(element, into: &builder, scalarsToo: false) }
        case .object(let members):
            for (_, member) in members { try collect(member, into: &builder, scalarsToo: false) }
        default: break
        }
    }
}

indirect enum JSONValue {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])
}

/// RFC 8259 over UTF-8 bytes, strict (no comments, no trailing commas), with a depth bound.
struct JSONParser {
    let bytes: [UInt8]
    let maxDepth: Int
    var i = 0

    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(ExtractionError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard i == bytes.count else { throw invalid("unexpected content after the top-level value") }
        return value
    }

    private func invalid(_ what: String) -> ExtractionError {
        .undecodable("invalid JSON at byte \(i): \(what)")
    }

    private mutating func skipWhitespace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    private mutating func parseValue(depth: Int) throws(ExtractionError) -> JSONValue {
        guard i < bytes.count else { throw invalid("unexpected end of input") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw invalid("unexpected character")
        }
    }

    private mutating func checkDepth(_ depth: Int) throws(ExtractionError) {
        if depth > maxDepth {
            throw .undecodable("JSON nested deeper than the limit of \(maxDepth) levels")
        }
    }

    private mutating func parseObject(depth: Int) throws(ExtractionError) -> JSONValue {
        try checkDepth(depth)
        i += 1
        var members: [(String, JSONValue)] = []
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
        while true {
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw invalid("expected a string key") }
            let key = try parseString()
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw invalid("expected ':'") }
            i += 1
            skipWhitespace()
            members.append((key, try parseValue(depth: depth)))
            skipWhitespace()
            guard i < bytes.count else { throw invalid("unterminated object") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            throw invalid("expected ',' or '}'")
        }
    }

    private mutating func parseArray(depth: Int) throws(ExtractionError) -> JSONValue {
        try checkDepth(depth)
        i += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array(elements) }
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard i < bytes.count else { throw invalid("unterminated array") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(elements) }
            throw invalid("expected ',' or ']'")
        }
    }

    private mutating func literal(_ word: String) throws(ExtractionError) {
        let expected = Array(word.utf8)
        guard bytes.count - i >= expected.count, Array(bytes[i..<(i + expected.count)]) == expected else {
            throw invalid("unexpected character")
        }
        i += expected.count
    }

    private mutating func parseNumber() throws(ExtractionError) -> String {
        let start = i
        func digits(_ i: inout Int, _ bytes: [UInt8]) -> Int {
            let from = i
            while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) { i += 1 }
            return i - from
        }
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count else { throw invalid("incomplete number") }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
        } else if digits(&i, bytes) == 0 {
            throw invalid("incomplete number")
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits(&i, bytes) > 0 else { throw invalid("expected digits after '.'") }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits(&i, bytes) > 0 else { throw invalid("expected exponent digits") }
        }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    private mutating func parseString() throws(ExtractionError) -> String {
        i += 1  // opening quote
        var out: [UInt8] = []
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "\""):
                i += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                i += 1
                guard i < bytes.count else { throw invalid("unterminated escape") }
                let escape = bytes[i]
                i += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var value = try hex4()
                    if (0xD800..<0xDC00).contains(value), bytes.count - i >= 6,
                       bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                        let mark = i
                        i += 2
                        let low = try hex4()
                        if (0xDC00..<0xE000).contains(low) {
                            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            i = mark  // lone high surrogate; the next escape stands alone
                        }
                    }
                    // Lone surrogates cannot be text: U+FFFD, as JSON.parse-then-display would show.
                    let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
                    out.append(contentsOf: String(scalar).utf8)
                default:
                    throw invalid("invalid escape")
                }
            case 0x00..<0x20:
                throw invalid("unescaped control character in a string")
            default:
                out.append(byte)
                i += 1
            }
        }
        throw invalid("unterminated string")
    }

    private mutating func hex4() throws(ExtractionError) -> UInt32 {
        guard bytes.count - i >= 4,
              let value = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16)
        else { throw invalid("invalid \\u escape") }
        i += 4
        return value
    }
}
