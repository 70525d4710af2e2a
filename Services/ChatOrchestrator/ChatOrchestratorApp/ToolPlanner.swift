import Foundation

/// A scalar tool argument.
enum ToolValue: Sendable, Equatable, Codable {
    case string(String)
    case integer(Int)
    case number(Double)
    case boolean(Bool)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) { self = .boolean(value) }
        else if let value = try? container.decode(Int.self) { self = .integer(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else { self = .string(try container.decode(String.self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .boolean(let value): try container.encode(value)
        }
    }

    var text: String {
        switch self {
        case .string(let value): value
        case .integer(let value): String(value)
        case .number(let value): String(value)
        case .boolean(let value): String(value)
        }
    }
}

/// A call the request names: `{"name": "crm_deal", "arguments": {"deal_id": "D-1042"}}`.
struct ToolCallRequest: Sendable, Codable {
    var name: String
    var arguments: [String: ToolValue]?
}

/// A tool call decided on, with its arguments checked against the schema.
struct PlannedToolCall: Sendable {
    var tool: AssistantTool
    var arguments: [String: ToolValue]

    /// Unreserved characters (RFC 3986) stay; everything else is percent-encoded.
    private static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// The template with its placeholders filled; a GET's other arguments go in the query.
    var url: String {
        var url = tool.urlTemplate
        for placeholder in tool.placeholders {
            url = url.replacingOccurrences(of: "{\(placeholder)}", with: Self.encoded(arguments[placeholder]?.text ?? ""))
        }
        guard tool.method == .GET else { return url }
        let extra = arguments.keys.filter { !tool.placeholders.contains($0) }.sorted()
        guard !extra.isEmpty else { return url }
        let query = extra.map { "\(Self.encoded($0))=\(Self.encoded(arguments[$0]!.text))" }.joined(separator: "&")
        return url + (url.contains("?") ? "&" : "?") + query
    }

    /// A POST's JSON body: every argument.
    var body: Data? {
        guard tool.method == .POST else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return try? encoder.encode(arguments)
    }
}

/// Decides which of an assistant's tools a turn calls: the calls the request names (checked
/// strictly: a bad one is a 400), or else every tool whose required arguments can all be found
/// in the question by their `pattern` (deterministic, no model involved).
enum ToolPlanner {
    static let maxValueCharacters = 500

    static func plan(tools: [AssistantTool], explicit: [ToolCallRequest]?, question: String) throws(ChatError) -> [PlannedToolCall] {
        if let explicit {
            guard explicit.count <= AssistantTool.maxTools else { throw .invalid("tool_calls: at most \(AssistantTool.maxTools)") }
            return try explicit.map { (call) throws(ChatError) -> PlannedToolCall in
                guard let tool = tools.first(where: { $0.name == call.name }) else {
                    throw .invalid("tool_calls: the assistant has no tool \"\(call.name)\"")
                }
                return PlannedToolCall(tool: tool, arguments: try checked(call.arguments ?? [:], tool: tool))
            }
        }
        return tools.compactMap { tool in
            guard let arguments = extracted(from: question, tool: tool) else { return nil }
            return PlannedToolCall(tool: tool, arguments: arguments)
        }
    }

    /// The required arguments found in `question`; nil when one is missing (or has no pattern).
    static func extracted(from question: String, tool: AssistantTool) -> [String: ToolValue]? {
        var arguments: [String: ToolValue] = [:]
        for name in tool.argumentsSchema.required ?? [] {
            guard let property = tool.argumentsSchema.properties[name], let pattern = property.pattern,
                  let regex = try? NSRegularExpression(pattern: pattern),
                  let match = regex.firstMatch(in: question, range: NSRange(question.startIndex..., in: question)),
                  match.range.length > 0, let range = Range(match.range, in: question),
                  let value = try? typed(String(question[range]), property, name: name, tool: tool.name) else { return nil }
            arguments[name] = value
        }
        return arguments
    }

    /// `arguments` checked against the tool's schema: known names, the right types, whole-value pattern matches, the required ones present.
    static func checked(_ arguments: [String: ToolValue], tool: AssistantTool) throws(ChatError) -> [String: ToolValue] {
        let schema = tool.argumentsSchema
        var result: [String: ToolValue] = [:]
        for (name, value) in arguments {
            guard let property = schema.properties[name] else { throw .invalid("tool_calls[\(tool.name)]: unknown argument \"\(name)\"") }
            result[name] = try typed(value.text, property, name: name, tool: tool.name, given: value)
        }
        for name in schema.required ?? [] where result[name] == nil {
            throw .invalid("tool_calls[\(tool.name)]: argument \"\(name)\" is required")
        }
        return result
    }

    private static func typed(
        _ text: String, _ property: ToolArgumentsSchema.Property, name: String, tool: String, given: ToolValue? = nil
    ) throws(ChatError) -> ToolValue {
        func fail(_ message: String) -> ChatError { .invalid("tool_calls[\(tool)]: argument \"\(name)\" \(message)") }
        guard !text.isEmpty, text.count <= maxValueCharacters, !text.contains(where: \.isNewline) else {
            throw fail("must be 1–\(maxValueCharacters) characters on one line")
        }
        // In a path, `.` and `..` would move the call to another endpoint of the tool's host.
        guard text != ".", text != ".." else { throw fail("may not be . or ..") }
        if let pattern = property.pattern {
            guard let regex = try? NSRegularExpression(pattern: "^(?:\(pattern))$"),
                  regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil else {
                throw fail("does not match its pattern")
            }
        }
        switch property.type {
        case .string:
            if let given, case .string = given {} else if given != nil { throw fail("must be a string") }
            return .string(text)
        case .integer:
            guard let value = Int(text) else { throw fail("must be an integer") }
            return .integer(value)
        case .number:
            guard let value = Double(text), value.isFinite else { throw fail("must be a number") }
            return .number(value)
        case .boolean:
            guard let value = Bool(text) else { throw fail("must be true or false") }
            return .boolean(value)
        }
    }
}
