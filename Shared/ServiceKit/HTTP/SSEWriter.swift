import Foundation
import Hummingbird
import NIOCore

/// Writes `text/event-stream` answers (each event flushed as it is written) and JSON answers.
public struct SSEWriter {
    public var writer: any ResponseBodyWriter

    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// An SSE response whose body `body` writes; an error thrown after the head was sent ends the body.
    public static func stream(_ body: @escaping @Sendable (inout SSEWriter) async throws -> Void) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream; charset=utf-8"
        headers[.cacheControl] = "no-cache"
        headers[.init("X-Accel-Buffering")!] = "no"
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            var sse = SSEWriter(writer: writer)
            try await body(&sse)
            try await sse.writer.finish(nil)
        })
    }

    public static func json(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    public static func json(_ status: HTTPResponse.Status, object: [String: Any]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    public mutating func event(_ name: String, _ value: some Encodable) async throws {
        try await raw("event: \(name)\ndata: \(String(decoding: try Self.encoder.encode(value), as: UTF8.self))\n\n")
    }

    public mutating func data(_ value: some Encodable) async throws {
        try await raw("data: \(String(decoding: try Self.encoder.encode(value), as: UTF8.self))\n\n")
    }

    public mutating func data(_ object: [String: Any]) async throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        try await raw("data: \(String(decoding: data, as: UTF8.self))\n\n")
    }

    public mutating func raw(_ text: String) async throws {
        try await writer.write(ByteBuffer(string: text))
    }
}
