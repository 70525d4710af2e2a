import Foundation
import HTTPTypes
import Hummingbird

extension HTTPField.Name {
    public static let requestID = Self("X-Request-ID")!
}

/// Accepts the caller's `X-Request-ID` (when it is 1–128 characters of `[A-Za-z0-9._:-]`) or makes
/// a new one, puts it in the context and in every log line of the request, and returns it on
/// every response, errors included.
public struct RequestIDMiddleware<Context: CairnRequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let id = request.headers[.requestID].flatMap(Self.accept) ?? RequestIDGenerator.next()
        context.requestID = id
        context.logger[metadataKey: "request_id"] = .string(id)
        do {
            var response = try await next(request, context)
            response.headers[.requestID] = id
            return response
        } catch {
            // Only reached when ErrorMiddleware is missing from the chain; still answer in our shape.
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            var response = APIError.from(error).response(requestID: id)
            response.headers[.requestID] = id
            return response
        }
    }

    /// A caller-chosen id is kept only when it is short and plain, so it is safe in logs and headers.
    static func accept(_ candidate: String) -> String? {
        guard (1...128).contains(candidate.utf8.count),
              candidate.utf8.allSatisfy({ byte in
                  (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                      || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
              })
        else { return nil }
        return candidate
    }
}
