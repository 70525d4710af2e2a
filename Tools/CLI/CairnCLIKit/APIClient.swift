import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// A collected answer of the gateway.
struct APIResponse: Sendable {
    var status: Int
    var body: Data
    var requestID: String?

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try APIClient.decoder.decode(type, from: body)
        } catch {
            throw CLIError(.failure, "unexpected answer from the server (\(error))", httpStatus: status, requestID: requestID)
        }
    }
}

/// The one client of the gateway: adds the profile's credential, maps failures to `CLIError`
/// (network → exit 6, HTTP errors by status), and refreshes an expired access token once.
actor APIClient {
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()
    /// Bodies collected in memory are bounded (streams are not collected).
    static let maxCollectedBytes = 16 * 1024 * 1024

    private(set) var profile: Profile
    let profileName: String
    let store: ConfigStore?
    /// A server other than the profile's (`--server`): asked without credentials.
    let anonymous: Bool
    private let http = HTTPClient.shared

    init(profile: Profile, profileName: String, store: ConfigStore?, anonymous: Bool = false) {
        self.profile = profile
        self.profileName = profileName
        self.store = store
        self.anonymous = anonymous
    }

    var server: String { profile.server.hasSuffix("/") ? String(profile.server.dropLast()) : profile.server }

    // MARK: Requests

    /// Sends a request and collects its answer; any non-2xx answer is thrown as a `CLIError`.
    func send(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], json: (any Encodable & Sendable)? = nil,
              timeout: TimeAmount = .seconds(60), authenticated: Bool = true) async throws -> APIResponse {
        let body = try json.map { try Self.encoder.encode($0) }
        return try await withRefresh(authenticated: authenticated) {
            var request = try self.request(method, path, query: query, authenticated: authenticated)
            if let body {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(data: body))
            }
            return try await self.collect(request, timeout: timeout)
        }
    }

    /// Sends a prepared body (a multipart upload) and collects the answer.
    func send(_ method: HTTPMethod, _ path: String, contentType: String, body: @escaping @Sendable () -> HTTPClientRequest.Body,
              timeout: TimeAmount = .seconds(180)) async throws -> APIResponse {
        try await withRefresh(authenticated: true) {
            var request = try self.request(method, path, query: [], authenticated: true)
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = body()
            return try await self.collect(request, timeout: timeout)
        }
    }

    /// Opens a server-sent-event stream; the caller reads `body`. Non-2xx answers are thrown.
    func openStream(_ path: String, json: any Encodable & Sendable) async throws -> HTTPClientResponse {
        let body = try Self.encoder.encode(json)
        return try await withRefresh(authenticated: true) {
            var request = try self.request(.POST, path, query: [], authenticated: true)
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.replaceOrAdd(name: "Accept", value: "text/event-stream")
            request.body = .bytes(ByteBuffer(data: body))
            let response = try await self.execute(request, timeout: .seconds(150))
            guard (200..<300).contains(Int(response.status.code)) else {
                let data = try await self.readBody(response)
                throw CLIError.fromResponse(status: Int(response.status.code), body: data, requestID: response.headers.first(name: "X-Request-ID"))
            }
            return response
        }
    }

    // MARK: Plumbing

    private func request(_ method: HTTPMethod, _ path: String, query: [(String, String)], authenticated: Bool) throws -> HTTPClientRequest {
        var components = URLComponents(string: server + path)
        if !query.isEmpty { components?.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        guard let url = components?.string, components?.scheme == "http" || components?.scheme == "https" else {
            throw CLIError.usage("invalid server URL \(server); expected http(s)://host:port")
        }
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "cairn-cli/1")
        if authenticated && !anonymous {
            if let token = profile.accessToken {
                request.headers.add(name: "Authorization", value: "Bearer \(token)")
            } else if let key = profile.apiKey {
                request.headers.add(name: "X-API-Key", value: key)
            } else {
                throw CLIError.notLoggedIn(profileName)
            }
        }
        return request
    }

    private func execute(_ request: HTTPClientRequest, timeout: TimeAmount) async throws -> HTTPClientResponse {
        do {
            return try await http.execute(request, timeout: timeout)
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError(.unreachable, "cannot reach \(server): \(Self.describe(error))")
        }
    }

    private func readBody(_ response: HTTPClientResponse) async throws -> Data {
        do {
            let buffer = try await response.body.collect(upTo: Self.maxCollectedBytes)
            return Data(buffer: buffer)
        } catch {
            throw CLIError(.unreachable, "the connection to \(server) failed while reading the answer: \(Self.describe(error))")
        }
    }

    private func collect(_ request: HTTPClientRequest, timeout: TimeAmount) async throws -> APIResponse {
        let response = try await execute(request, timeout: timeout)
        let answer = APIResponse(status: Int(response.status.code), body: try await readBody(response),
                                 requestID: response.headers.first(name: "X-Request-ID"))
        guard (200..<300).contains(answer.status) else {
            throw CLIError.fromResponse(status: answer.status, body: answer.body, requestID: answer.requestID)
        }
        return answer
    }

    /// Runs `attempt`; on a 401 with a refresh token in the profile, rotates the tokens (saved
    /// to the config file) and tries once more.
    private func withRefresh<T>(authenticated: Bool, _ attempt: () async throws -> T) async throws -> T {
        do {
            return try await attempt()
        } catch let error as CLIError where error.httpStatus == 401 && authenticated && profile.refreshToken != nil {
            try await refreshTokens()
            return try await attempt()
        }
    }

    private func refreshTokens() async throws {
        struct Refresh: Encodable, Sendable { var refreshToken: String }
        guard let refreshToken = profile.refreshToken else { return }
        let answer: APIResponse
        do {
            answer = try await send(.POST, "/v1/auth/refresh", json: Refresh(refreshToken: refreshToken), authenticated: false)
        } catch let error as CLIError where error.status == .authentication {
            throw CLIError(.authentication, "the session has expired; run `cairn login` again", code: error.code,
                           httpStatus: error.httpStatus, requestID: error.requestID)
        }
        let tokens = try answer.decode(TokenPair.self)
        profile.accessToken = tokens.accessToken
        profile.refreshToken = tokens.refreshToken
        try store?.update(profileName) {
            $0?.accessToken = tokens.accessToken
            $0?.refreshToken = tokens.refreshToken
        }
    }

    /// A short reason for a network failure ("Connection refused", not NIO's whole description).
    static func describe(_ error: any Error) -> String {
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)) }
        let text = String(describing: error)
        return text.count > 200 ? String(text.prefix(200)) + "..." : text
    }
}
