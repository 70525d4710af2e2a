/// One server-sent event: its `event:` name (nil when absent) and its `data:` lines joined by
/// newlines (WHATWG "HTML" §9.2).
public struct ServerSentEvent: Sendable, Equatable {
    public var event: String?
    public var data: String

    public init(event: String? = nil, data: String) {
        self.event = event
        self.data = data
    }
}

/// An incremental SSE parser: bytes in (in chunks split anywhere, even inside a line or a
/// UTF-8 sequence), events out. Lines end in LF, CRLF or CR; `:` lines are comments
/// (keep-alives); several `data:` lines make one multi-line event; a blank line dispatches;
/// `id:` and `retry:` are accepted and ignored; an event with no data is dropped, as the spec says.
public struct SSEParser: Sendable {
    /// A longer line is a broken or hostile stream.
    public static let maximumLineBytes = 1 << 20

    public struct LineTooLong: Error {}

    private var line: [UInt8] = []
    private var lastWasCR = false
    private var event: String?
    private var data: [String] = []
    private var hasData = false

    public init() {}

    /// Feeds bytes; returns the events they completed.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if lastWasCR { lastWasCR = false; continue }
                if let event = endLine() { events.append(event) }
            } else if byte == UInt8(ascii: "\r") {
                lastWasCR = true
                if let event = endLine() { events.append(event) }
            } else {
                lastWasCR = false
                line.append(byte)
                if line.count > Self.maximumLineBytes { throw LineTooLong() }
            }
        }
        return events
    }

    private mutating func endLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            defer { event = nil; data = []; hasData = false }
            guard hasData else { return nil }
            return ServerSentEvent(event: event, data: data.joined(separator: "\n"))
        }
        if line.first == UInt8(ascii: ":") { return nil }
        let text = String(decoding: line, as: UTF8.self)
        let field: Substring
        var value: Substring
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.first == " " { value = value.dropFirst() }
        } else {
            field = Substring(text)
            value = ""
        }
        switch field {
        case "data":
            data.append(String(value))
            hasData = true
        case "event":
            event = String(value)
        default:
            break
        }
        return nil
    }
}
