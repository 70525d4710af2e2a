import Dispatch
import Hummingbird
import Metrics

/// Counts requests and records their latency, labelled by route template (never the raw path,
/// which would explode the label space), method and status:
/// `http_requests_total`, `http_request_duration_seconds`, `http_requests_in_flight`.
public struct HTTPMetricsMiddleware<Context: CairnRequestContext>: RouterMiddleware {
    private let inFlight = Meter(label: "http_requests_in_flight")

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        inFlight.increment()
        do {
            let response = try await next(request, context)
            record(request, context, Int(response.status.code), start)
            return response
        } catch {
            record(request, context, Int(APIError.from(error).status.code), start)
            throw error
        }
    }

    private func record(_ request: Request, _ context: Context, _ status: Int, _ start: UInt64) {
        inFlight.decrement()
        let dimensions = [
            ("route", context.endpointPath ?? "unmatched"),
            ("method", request.method.rawValue),
            ("status", String(status)),
        ]
        Counter(label: "http_requests_total", dimensions: dimensions).increment()
        Metrics.Timer(label: "http_request_duration_seconds", dimensions: dimensions)
            .recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start))
    }
}
