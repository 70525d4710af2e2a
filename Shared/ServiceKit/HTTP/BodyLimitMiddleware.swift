import Hummingbird

/// Rejects bodies above the configured limit: at once with 413 when `Content-Length` says so,
/// and while streaming otherwise (Hummingbird stops collecting at `context.maxUploadSize`).
public struct BodyLimitMiddleware<Context: CairnRequestContext>: RouterMiddleware {
    public let limit: Int

    public init(limit: Int) {
        self.limit = limit
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw APIError.payloadTooLarge(limit: limit)
        }
        var context = context
        context.bodyLimit = limit
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError.payloadTooLarge(limit: limit)
        }
    }
}
