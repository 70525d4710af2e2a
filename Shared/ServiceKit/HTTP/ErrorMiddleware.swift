import Hummingbird

/// Turns every error thrown below it into the one error shape (see ``APIError``).
/// Client errors are logged at `info`; anything else is logged with its full detail at `error`
/// and answered with a bare 500, so internals never reach a client.
public struct ErrorMiddleware<Context: CairnRequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = APIError.from(error)
            if apiError.status.code >= 500 {
                context.logger.error("request failed", metadata: [
                    "error": "\(String(reflecting: error))", "path": "\(request.uri.path)", "status": "\(apiError.status.code)",
                ])
            } else {
                context.logger.info("request rejected", metadata: [
                    "code": "\(apiError.code)", "path": "\(request.uri.path)", "status": "\(apiError.status.code)",
                ])
            }
            return apiError.response(requestID: context.requestID)
        }
    }
}
