import Dispatch
import Hummingbird
import Logging
import ServiceKit

/// One `access` line per request at the edge: method, path (never the query, which may carry
/// what should not be logged), matched route, status, time to the answer's head, client
/// address. Credentials are headers, and headers are never logged.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = GatewayRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        let response = try await next(request, context)
        context.logger.info("access", metadata: [
            "method": "\(request.method.rawValue)", "path": "\(request.uri.path.prefix(256))",
            "route": "\(context.endpointPath ?? "unmatched")", "status": "\(response.status.code)",
            "duration_ms": "\(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)", "client": "\(context.peer ?? "-")",
        ])
        return response
    }
}
