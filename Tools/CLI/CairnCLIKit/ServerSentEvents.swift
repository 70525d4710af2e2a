/// One server-sent event: its `event:` name (default `message`) and its `data:` lines joined.
struct ServerSentEvent: Sendable, Equatable {
    var name: String
    var data: String
}

/// An incremental server-sent-event parser: feed it bytes as they arrive, take whole events.
/// Lines end with LF, CRLF or CR; a blank line ends an event; `:` lines are comments.
struct ServerSentEventParser: Sendable {
    private var pending: [UInt8] = []
    private var name = ""
    private var data: [String] = []
    private var sawCR = false

    mutating func feed(_ bytes: some Sequence<UInt8>) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if sawCR {
                sawCR = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            switch byte {
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                sawCR = byte == UInt8(ascii: "\r")
                if let event = line(String(decoding: pending, as: UTF8.self)) { events.append(event) }
                pending.removeAll(keepingCapacity: true)
            default:
                pending.append(byte)
            }
        }
        return events
    }

    private mutating func line(_ line: String) -> ServerSentEvent? {
        if line.isEmpty {
            defer { name = ""; data = [] }
            return data.isEmpty ? nil : ServerSentEvent(name: name.isEmpty ? "message" : name, data: data.joined(separator: "\n"))
        }
        if line.hasPrefix(":") { return nil }
        let field: Substring
        var value: Substring
        if let colon = line.firstIndex(of: ":") {
            field = line[..<colon]
            value = line[line.index(after: colon)...]
            if value.hasPrefix(" ") { value = value.dropFirst() }
        } else {
            field = line[...]
            value = ""
        }
        switch field {
        case "event": name = String(value)
        case "data": data.append(String(value))
        default: break
        }
        return nil
    }
}
