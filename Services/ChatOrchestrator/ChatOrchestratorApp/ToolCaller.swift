import AsyncHTTPClient
import Foundation
import Logging
import Metrics
import NIOCore
import ServiceKit

/// The secrets tools may send, read from `CAIRN_CHAT_TOOL_SECRET_<NAME>` (a Kubernetes
/// Secret); never printed, stored or logged. Secrets are the deployment's, tools are the
/// tenants', so a secret is sent only where `CAIRN_CHAT_TOOL_GRANT_<NAME>` allows it: a comma
/// list of `<tenant id>@<host>` (`*@<host>` for every tenant). No grant, no secret.
public struct ToolSecrets: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    static let prefix = "CAIRN_CHAT_TOOL_SECRET_"
    static let grantPrefix = "CAIRN_CHAT_TOOL_GRANT_"
    let values: [String: String]
    /// Per secret: (tenant, or nil for every tenant; lower-cased host).
    let grants: [String: [(tenant: UUID?, host: String)]]

    public init(environment: [String: String]) {
        var values: [String: String] = [:]
        var grants: [String: [(tenant: UUID?, host: String)]] = [:]
        for (key, value) in environment where !value.isEmpty {
            if key.hasPrefix(Self.prefix) {
                values[String(key.dropFirst(Self.prefix.count))] = value
            } else if key.hasPrefix(Self.grantPrefix) {
                grants[String(key.dropFirst(Self.grantPrefix.count))] = value.split(separator: ",").compactMap { entry in
                    let parts = entry.trimmingCharacters(in: .whitespaces).split(separator: "@", maxSplits: 1)
                    guard parts.count == 2, !parts[1].isEmpty else { return nil }
                    if parts[0] == "*" { return (nil, parts[1].lowercased()) }
                    guard let tenant = UUID(uuidString: String(parts[0])) else { return nil }
                    return (tenant, parts[1].lowercased())
                }
            }
        }
        self.values = values
        self.grants = grants
    }

    enum Lookup: Equatable {
        case granted(String)
        case missing
        case notGranted
    }

    /// Secret `name` for a call by `tenant` to `host`.
    func lookup(_ name: String, tenant: UUID, host: String) -> Lookup {
        guard let value = values[name] else { return .missing }
        let host = host.lowercased()
        let allowed = (grants[name] ?? []).contains { ($0.tenant == nil || $0.tenant == tenant) && $0.host == host }
        return allowed ? .granted(value) : .notGranted
    }

    public var description: String { "\(values.count) tool secret(s) (redacted)" }
    public var debugDescription: String { description }
}

/// How tool calls are made.
public struct ToolSettings: Sendable {
    /// Hosts called without the SSRF check (`CAIRN_CHAT_TOOL_ALLOWED_HOSTS`).
    public var allowedHosts: Set<String>
    public var secrets: ToolSecrets
    /// A tool result's text is cut to this many characters (as a source and as context).
    public var excerptCharacters: Int
}

/// How one tool call went: the answer's `metadata.tools`.
struct ToolRun: Sendable, Codable, Equatable {
    enum Status: String, Sendable, Codable {
        case ok, timeout, refused, failed
        case tooLarge = "too_large", httpError = "http_error", secretMissing = "secret_missing"
    }

    var name: String
    var status: Status
    var ms: Int
    var httpStatus: Int?

    enum CodingKeys: String, CodingKey { case name, status, ms, httpStatus = "http_status" }
}

/// A tool call's outcome; `text` only when it succeeded.
struct ToolResult: Sendable {
    var run: ToolRun
    /// The URL called, without its query (which is where an API key in a template would be).
    var url: String
    var text: String?
}

/// Calls an assistant's HTTP tools: SSRF-guarded and pinned to the address checked, no
/// redirects, the secret header added, bounded in time and size. A call that fails for any
/// reason is reported, never thrown: the answer proceeds without it.
struct ToolCaller: Sendable {
    let settings: ToolSettings
    let logger: Logger

    private static let calls = "cairn_chat_tool_calls_total"
    private static let timer = "cairn_chat_tool_seconds"

    /// Every call, concurrently; results in the order of `calls`.
    func run(_ calls: [PlannedToolCall], tenant: UUID, requestID: String) async -> [ToolResult] {
        await withTaskGroup(of: (Int, ToolResult).self) { group in
            for (index, call) in calls.enumerated() {
                group.addTask { (index, await self.call(call, tenant: tenant, requestID: requestID)) }
            }
            var results: [(Int, ToolResult)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    func call(_ call: PlannedToolCall, tenant: UUID, requestID: String) async -> ToolResult {
        let started = ContinuousClock.now
        let url = call.url
        let shown = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
        var httpStatus: Int?
        let outcome: Result<String, ToolFailure>
        do {
            let (text, status) = try await fetch(call, url: url, tenant: tenant)
            httpStatus = status
            outcome = .success(text)
        } catch let failure as ToolFailure {
            if case .httpError(let code) = failure { httpStatus = code }
            outcome = .failure(failure)
        } catch {
            outcome = .failure(.other(String(describing: error)))
        }
        let ms = ChatPipeline.milliseconds(since: started)
        let status: ToolRun.Status = switch outcome {
        case .success: .ok
        case .failure(let failure): failure.status
        }
        Timer(label: Self.timer, dimensions: [("status", status.rawValue)]).recordMilliseconds(ms)
        Counter(label: Self.calls, dimensions: [("status", status.rawValue)]).increment()
        if case .failure(let failure) = outcome {
            // The tool's name and host only: never its headers (the secret) or arguments.
            logger.warning("tool call failed: answering without it", metadata: [
                "request_id": "\(requestID)", "tool": "\(call.tool.name)", "host": "\(URL(string: url)?.host ?? "?")",
                "status": "\(status.rawValue)", "error": "\(failure)",
            ])
        }
        let text = try? outcome.get()
        return ToolResult(run: ToolRun(name: call.tool.name, status: status, ms: ms, httpStatus: httpStatus), url: shown, text: text)
    }

    enum ToolFailure: Error, CustomStringConvertible {
        case secretMissing, refused(String), timeout, tooLarge, httpError(Int), other(String)

        var status: ToolRun.Status {
            switch self {
            case .secretMissing: .secretMissing
            case .refused: .refused
            case .timeout: .timeout
            case .tooLarge: .tooLarge
            case .httpError: .httpError
            case .other: .failed
            }
        }

        var description: String {
            switch self {
            case .secretMissing: "its secret is not configured (no request sent)"
            case .refused(let reason): "refused: \(reason)"
            case .timeout: "timed out"
            case .tooLarge: "the response exceeds max_response_bytes"
            case .httpError(let code): "HTTP \(code)"
            case .other(let message): message
            }
        }
    }

    /// The response's text and HTTP status.
    private func fetch(_ call: PlannedToolCall, url: String, tenant: UUID) async throws -> (String, Int) {
        let tool = call.tool
        guard let host = URL(string: url)?.host, !host.isEmpty else { throw ToolFailure.other("the URL is invalid") }
        let secret: String?
        if let auth = tool.auth {
            switch settings.secrets.lookup(auth.secret, tenant: tenant, host: host) {
            case .granted(let value): secret = (auth.prefix ?? "") + value
            case .missing: throw ToolFailure.secretMissing
            case .notGranted: throw ToolFailure.refused("the secret is not granted to this tenant for this host")
            }
        } else {
            secret = nil
        }
        let limit = Duration.milliseconds(tool.timeoutMS)
        let addressGuard = AddressGuard(allowedHosts: settings.allowedHosts)
        do {
            return try await withTimeout(limit) {
                let pinned: String?
                do { pinned = try await addressGuard.check(host: host) } catch { throw ToolFailure.refused(String(describing: error)) }
                var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .milliseconds(Int64(tool.timeoutMS))))
                if let pinned { configuration.dnsOverride = [host: pinned] }
                var request = HTTPClientRequest(url: url)
                request.method = tool.method == .GET ? .GET : .POST
                request.headers.add(name: "Accept", value: "application/json, text/plain;q=0.9, */*;q=0.1")
                request.headers.add(name: "User-Agent", value: "cairn-chat-orchestrator")
                if let auth = tool.auth, let secret { request.headers.add(name: auth.header, value: secret) }
                if let body = call.body {
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.body = .bytes(ByteBuffer(bytes: body))
                }
                return try await HTTPClient.withHTTPClient(configuration: configuration) { http in
                    // The deadline around the whole call governs; the client's own is a backstop.
                    let response = try await http.execute(request, timeout: .milliseconds(Int64(tool.timeoutMS) + 1_000))
                    let code = Int(response.status.code)
                    guard (200..<300).contains(code) else { throw ToolFailure.httpError(code) }
                    let body: ByteBuffer
                    do { body = try await response.body.collect(upTo: tool.maxResponseBytes) } catch is NIOTooManyBytesError { throw ToolFailure.tooLarge }
                    let type = response.headers.first(name: "Content-Type") ?? ""
                    return (ToolText.render(Data(buffer: body), contentType: type, limit: settings.excerptCharacters), code)
                }
            }
        } catch is TimeoutError {
            throw ToolFailure.timeout
        } catch let error as HTTPClientError where [.deadlineExceeded, .readTimeout, .connectTimeout].contains(error) {
            throw ToolFailure.timeout
        }
    }
}

/// A tool response as text an answer can quote: a JSON object as `key: value` lines (nested
/// values as compact JSON), anything else as its UTF-8 text; cut to `limit` characters.
enum ToolText {
    static func render(_ data: Data, contentType: String, limit: Int) -> String {
        var text: String
        if let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) {
            text = lines(object)
        } else {
            text = String(decoding: data, as: UTF8.self)
        }
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + "…"
    }

    private static func lines(_ value: Any) -> String {
        if let object = value as? [String: Any] {
            return object.keys.sorted().map { "\($0): \(scalar(object[$0]!))" }.joined(separator: "\n")
        }
        if let array = value as? [Any] { return array.map(lines).joined(separator: "\n\n") }
        return scalar(value)
    }

    private static func scalar(_ value: Any) -> String {
        switch value {
        case let string as String: return string
        case is NSNull: return "null"
        case let number as NSNumber: return "\(number)"
        default:
            let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
    }
}
