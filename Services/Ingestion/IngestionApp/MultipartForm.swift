import Foundation
import NIOCore

/// A `multipart/form-data` body (RFC 7578), parsed from bytes already collected under a limit.
struct MultipartForm: Sendable {
    struct Part: Sendable {
        var name: String
        var filename: String?
        var contentType: String?
        var body: ByteBuffer
    }

    var parts: [Part]

    func part(_ name: String) -> Part? { parts.first { $0.name == name } }

    /// A text field's value (UTF-8), nil when absent.
    func field(_ name: String) -> String? { part(name).map { String(buffer: $0.body) } }

    /// The boundary of a `multipart/form-data` content type, nil for any other type.
    static func boundary(contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return (1...70).contains(value.utf8.count) ? value : nil
        }
        return nil
    }

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    static let maxParts = 32

    init(parsing body: ByteBuffer, boundary: String) throws(Malformed) {
        let bytes = body.readableBytesView
        let delimiter = Array("--\(boundary)".utf8)
        let separator = Array("\r\n--\(boundary)".utf8)
        guard var cursor = bytes.firstRange(of: delimiter)?.upperBound else { throw Malformed(description: "no multipart boundary in the body") }
        var parts: [Part] = []
        while true {
            // After a delimiter: `--` ends the form, CRLF starts a part.
            let rest = bytes[cursor...]
            if rest.starts(with: Array("--".utf8)) { break }
            guard rest.starts(with: [13, 10]) else { throw Malformed(description: "malformed multipart delimiter") }
            let headerStart = cursor + 2
            guard let headerEnd = bytes[headerStart...].firstRange(of: Array("\r\n\r\n".utf8)) else {
                throw Malformed(description: "a multipart part has no header end")
            }
            guard let next = bytes[headerEnd.upperBound...].firstRange(of: separator) else {
                throw Malformed(description: "the multipart body is not terminated")
            }
            let headers = String(decoding: bytes[headerStart..<headerEnd.lowerBound], as: UTF8.self)
            var part = try Self.part(headers: headers)
            part.body = body.getSlice(at: headerEnd.upperBound, length: next.lowerBound - headerEnd.upperBound) ?? ByteBuffer()
            parts.append(part)
            guard parts.count <= Self.maxParts else { throw Malformed(description: "more than \(Self.maxParts) form parts") }
            cursor = next.upperBound
        }
        self.parts = parts
    }

    private static func part(headers: String) throws(Malformed) -> Part {
        var name: String?
        var filename: String?
        var contentType: String?
        for line in headers.split(separator: "\r\n") {
            let pair = line.split(separator: ":", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let value = pair[1].trimmingCharacters(in: .whitespaces)
            switch pair[0].trimmingCharacters(in: .whitespaces).lowercased() {
            case "content-disposition":
                for parameter in value.split(separator: ";").dropFirst() {
                    let kv = parameter.split(separator: "=", maxSplits: 1)
                    guard kv.count == 2 else { continue }
                    let raw = kv[1].trimmingCharacters(in: .whitespaces)
                    let unquoted = raw.count >= 2 && raw.hasPrefix("\"") && raw.hasSuffix("\"") ? String(raw.dropFirst().dropLast()) : raw
                    switch kv[0].trimmingCharacters(in: .whitespaces).lowercased() {
                    case "name": name = unquoted
                    case "filename": filename = unquoted
                    default: break
                    }
                }
            case "content-type": contentType = value
            default: break
            }
        }
        guard let name else { throw Malformed(description: "a form part has no name") }
        return Part(name: name, filename: filename, contentType: contentType, body: ByteBuffer())
    }
}
