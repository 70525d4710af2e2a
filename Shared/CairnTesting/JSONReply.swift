import Foundation
import HTTPTypes
import Hummingbird

/// An HTTP answer as tests read it: status, headers, the text, and the JSON object in it (empty
/// when the body is not one), with path access to nested values.
public struct JSONReply: Sendable {
    public var status: HTTPResponse.Status
    public var text: String
    public var headers: HTTPFields
    private let object: JSONObjectBox

    public init(status: HTTPResponse.Status, text: String, headers: HTTPFields = [:]) {
        self.status = status
        self.text = text
        self.headers = headers
        self.object = JSONObjectBox((try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:])
    }

    public var json: [String: Any] { object.value }
    public subscript(key: String) -> Any? { json[key] }
    public func string(_ path: String...) -> String? { value(path) as? String }
    public func int(_ path: String...) -> Int? { value(path) as? Int }
    public func object(_ path: String...) -> [String: Any]? { value(path) as? [String: Any] }
    public func array(_ path: String...) -> [[String: Any]]? { value(path) as? [[String: Any]] }
    public var errorCode: String? { string("error", "code") }
    public func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { headers[$0] } }

    private func value(_ path: [String]) -> Any? {
        var current: Any? = json
        for key in path { current = (current as? [String: Any])?[key] }
        return current
    }
}

/// JSONSerialization's objects are immutable once parsed; the box lets the reply be Sendable.
private final class JSONObjectBox: @unchecked Sendable {
    let value: [String: Any]
    init(_ value: [String: Any]) { self.value = value }
}
