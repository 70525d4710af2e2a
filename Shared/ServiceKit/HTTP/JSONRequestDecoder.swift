import Foundation
import Hummingbird

/// How every Cairn service decodes a JSON request body: as Hummingbird's `JSONDecoder` does,
/// except that a string holding a NUL character (`\u0000`) is refused with a 400. Postgres text
/// and jsonb cannot store NUL, so such input would otherwise fail at the first INSERT as a 500.
public struct JSONRequestDecoder: RequestDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        var request = request
        try Self.refuseNUL(try await request.collectBody(upTo: context.maxUploadSize))
        return try await Self.decoder.decode(type, from: request, context: context)
    }

    /// As Hummingbird's default: ISO 8601 dates.
    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    /// A 400 when a JSON body holds a NUL character: for services that decode a body themselves.
    public static func refuseNUL(_ body: ByteBuffer) throws(APIError) {
        if containsNUL(body.readableBytesView) { throw .badRequest("strings must not contain NUL characters (\\u0000)") }
    }

    /// Whether JSON text holds the escape `\u0000`. An escaped backslash followed by `u0000`
    /// (`\\u0000`, the six characters themselves) does not count. Raw control characters are
    /// not valid JSON at all, so the escape is the only way a NUL gets in.
    static func containsNUL(_ bytes: some Collection<UInt8>) -> Bool {
        var index = bytes.startIndex
        while let backslash = bytes[index...].firstIndex(of: UInt8(ascii: "\\")) {
            let escape = bytes[bytes.index(after: backslash)...].prefix(5)
            if escape.elementsEqual("u0000".utf8) { return true }
            // Skip the backslash and the character it escapes.
            index = bytes.index(backslash, offsetBy: min(2, bytes.distance(from: backslash, to: bytes.endIndex)))
        }
        return false
    }
}

extension CairnRequestContext {
    public var requestDecoder: JSONRequestDecoder { JSONRequestDecoder() }
}
