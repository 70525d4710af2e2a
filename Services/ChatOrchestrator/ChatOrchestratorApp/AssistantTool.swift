import Foundation

/// An assistant's HTTP tool: a named outside endpoint (a CRM's deal or customer record, say)
/// the orchestrator calls to fetch context for an answer. The result becomes a source (type
/// `tool`). Secrets are never stored: `auth.secret` names an entry of the orchestrator's own
/// configuration (`CAIRN_CHAT_TOOL_SECRET_<NAME>`).
struct AssistantTool: Sendable, Codable, Equatable {
    enum Method: String, Sendable, Codable { case GET, POST }

    /// The header carrying a secret of the orchestrator's configuration.
    struct Auth: Sendable, Codable, Equatable {
        var header: String
        var secret: String
        var prefix: String?
    }

    var name: String
    var description: String?
    var method: Method
    /// `https://crm.example.com/deals/{deal_id}`: each `{argument}` is a required argument,
    /// percent-encoded into the path or query (never into the scheme, host or port).
    var urlTemplate: String
    var argumentsSchema: ToolArgumentsSchema
    var auth: Auth?
    var timeoutMS: Int
    var maxResponseBytes: Int

    enum CodingKeys: String, CodingKey {
        case name, description, method, auth
        case urlTemplate = "url_template", argumentsSchema = "arguments_schema", timeoutMS = "timeout_ms", maxResponseBytes = "max_response_bytes"
    }

    static let defaultTimeoutMS = 2_000
    static let timeoutRange = 100...10_000
    static let defaultMaxResponseBytes = 64 << 10
    static let maxResponseBytesRange = 1...(1 << 20)
    static let maxTools = 10

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        method = try container.decodeIfPresent(Method.self, forKey: .method) ?? .GET
        urlTemplate = try container.decode(String.self, forKey: .urlTemplate)
        argumentsSchema = try container.decodeIfPresent(ToolArgumentsSchema.self, forKey: .argumentsSchema) ?? ToolArgumentsSchema()
        auth = try container.decodeIfPresent(Auth.self, forKey: .auth)
        timeoutMS = try container.decodeIfPresent(Int.self, forKey: .timeoutMS) ?? Self.defaultTimeoutMS
        maxResponseBytes = try container.decodeIfPresent(Int.self, forKey: .maxResponseBytes) ?? Self.defaultMaxResponseBytes
    }

    /// The `{name}` placeholders of the template, in order.
    var placeholders: [String] { Self.placeholders(in: urlTemplate) ?? [] }

    static func placeholders(in template: String) -> [String]? {
        var names: [String] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(where: { $0 == "{" || $0 == "}" }) {
            guard rest[open] == "{", let close = rest[open...].firstIndex(of: "}") else { return nil }
            let name = String(rest[rest.index(after: open)..<close])
            guard name.wholeMatch(of: /[a-z_][a-z0-9_]{0,63}/) != nil else { return nil }
            names.append(name)
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    /// Throws the first problem, naming the tool.
    func validate() throws(ChatError) {
        func fail(_ message: String) -> ChatError { .invalid("tools[\(name)]: \(message)") }
        guard name.wholeMatch(of: /[a-z][a-z0-9_]{0,63}/) != nil else {
            throw .invalid("tools: name \"\(name)\" must be 1–64 characters of a-z, 0-9 and _, starting with a letter")
        }
        if let description, description.count > 1_000 { throw fail("description must be at most 1000 characters") }
        guard urlTemplate.count <= 2_000 else { throw fail("url_template must be at most 2000 characters") }
        guard let placeholders = Self.placeholders(in: urlTemplate) else {
            throw fail("url_template has a malformed {placeholder} (names are a-z, 0-9 and _)")
        }
        guard let scheme = urlTemplate.range(of: "://"), ["http", "https"].contains(urlTemplate[..<scheme.lowerBound].lowercased()) else {
            throw fail("url_template must be an http(s) URL")
        }
        let authority = urlTemplate[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.contains("{") else { throw fail("url_template placeholders may not be in the host or port") }
        guard !authority.contains("@") else { throw fail("url_template may not carry credentials") }
        let sample = urlTemplate.replacing(/\{[a-z0-9_]+\}/, with: "x")
        guard let url = URL(string: sample), let host = url.host, !host.isEmpty else { throw fail("url_template is not a valid URL") }
        try argumentsSchema.validate(tool: name)
        for placeholder in placeholders where !(argumentsSchema.required ?? []).contains(placeholder) {
            throw fail("url_template placeholder {\(placeholder)} must be a required property of arguments_schema")
        }
        if let auth {
            guard auth.header.wholeMatch(of: /[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}/) != nil,
                  !["host", "content-length", "content-type", "transfer-encoding", "connection", "cookie"].contains(auth.header.lowercased()) else {
                throw fail("auth.header must be a valid header name other than Host, Content-Length, Content-Type, Transfer-Encoding, Connection and Cookie")
            }
            guard auth.secret.wholeMatch(of: /[A-Z][A-Z0-9_]{0,63}/) != nil else {
                throw fail("auth.secret must name a configured secret: 1–64 characters of A-Z, 0-9 and _ (read from CAIRN_CHAT_TOOL_SECRET_<NAME>)")
            }
            if let prefix = auth.prefix, prefix.count > 50 || prefix.contains(where: \.isNewline) {
                throw fail("auth.prefix must be at most 50 characters on one line")
            }
        }
        guard Self.timeoutRange.contains(timeoutMS) else { throw fail("timeout_ms must be \(Self.timeoutRange.lowerBound)–\(Self.timeoutRange.upperBound)") }
        guard Self.maxResponseBytesRange.contains(maxResponseBytes) else {
            throw fail("max_response_bytes must be 1–\(Self.maxResponseBytesRange.upperBound)")
        }
    }

    static func validate(_ tools: [AssistantTool]) throws(ChatError) {
        guard tools.count <= maxTools else { throw .invalid("tools: at most \(maxTools)") }
        var names: Set<String> = []
        for tool in tools {
            try tool.validate()
            guard names.insert(tool.name).inserted else { throw .invalid("tools: name \"\(tool.name)\" is used twice") }
        }
    }
}

/// The JSON Schema subset a tool's arguments are described by: an object of scalar properties,
/// each with an optional `pattern`. A pattern must match the whole value, and it is also how a
/// value is found in the question when the request does not name the call.
struct ToolArgumentsSchema: Sendable, Codable, Equatable {
    struct Property: Sendable, Codable, Equatable {
        enum Kind: String, Sendable, Codable { case string, integer, number, boolean }
        var type: Kind
        var pattern: String?
        var description: String?
    }

    var type: String? = "object"
    var properties: [String: Property] = [:]
    var required: [String]? = []

    static let maxPatternCharacters = 500

    func validate(tool: String) throws(ChatError) {
        func fail(_ message: String) -> ChatError { .invalid("tools[\(tool)].arguments_schema: \(message)") }
        if let type, type != "object" { throw fail("type must be \"object\"") }
        guard properties.count <= 20 else { throw fail("at most 20 properties") }
        for (name, property) in properties {
            guard name.wholeMatch(of: /[a-z_][a-z0-9_]{0,63}/) != nil else { throw fail("property \"\(name)\" must be 1–64 characters of a-z, 0-9 and _") }
            if let pattern = property.pattern {
                guard pattern.count <= Self.maxPatternCharacters, (try? NSRegularExpression(pattern: pattern)) != nil else {
                    throw fail("properties.\(name).pattern is not a valid regular expression of at most \(Self.maxPatternCharacters) characters")
                }
            }
        }
        for name in required ?? [] where properties[name] == nil { throw fail("required \"\(name)\" is not a property") }
    }
}
