import CairnTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import ChatOrchestratorApp

/// Assistants' HTTP tools over real sockets: a fake CRM on the loopback (allowed by
/// `CAIRN_CHAT_TOOL_ALLOWED_HOSTS`), the real vector-search and generation (extractive).
@Suite struct ToolTests {
    static func environment(extra: [String: String] = [:]) -> [String: String] {
        ["CAIRN_CHAT_TOOL_ALLOWED_HOSTS": "127.0.0.1", "CAIRN_CHAT_TOOL_SECRET_CRM_TOKEN": FakeCRM.token,
         "CAIRN_CHAT_TOOL_GRANT_CRM_TOKEN": "*@127.0.0.1"].merging(extra) { $1 }
    }

    /// `timeoutMS` defaults to the most a tool may have: on a loaded 2-core CI machine the fake
    /// CRM's answer once took longer than the service's 2 s default.
    static func tool(_ name: String, url: String, secret: String? = "CRM_TOKEN", timeoutMS: Int? = 10_000, maxBytes: Int? = nil) -> [String: Any] {
        var tool: [String: Any] = [
            "name": name, "description": "A CRM deal record", "method": "GET", "url_template": url,
            "arguments_schema": ["type": "object", "properties": ["deal_id": ["type": "string", "pattern": "D-[0-9]{4}"]], "required": ["deal_id"]],
        ]
        if let secret { tool["auth"] = ["header": "Authorization", "secret": secret, "prefix": "Bearer "] }
        if let timeoutMS { tool["timeout_ms"] = timeoutMS }
        if let maxBytes { tool["max_response_bytes"] = maxBytes }
        return tool
    }

    static func assistant(_ harness: ChatHarness, tools: [[String: Any]], tenant: UUID? = nil) async throws -> String {
        let created = try await harness.call(.post, "/v1/assistants", json: ["name": "Sales", "tools": tools], token: try await harness.admin(tenant: tenant))
        #expect(created.status == .created, "\(created.text)")
        return try #require(created.string("id"))
    }

    @Test func aToolRecordFoundFromTheQuestionIsASourceAndAnswersIt() async throws {
        let crm = FakeCRM()
        try await crm.application().test(.live) { upstream in
            try await ChatHarness.run(orchestrator: Self.environment()) { harness in
                let assistant = try await Self.assistant(harness, tools: [Self.tool("crm_deal", url: "http://127.0.0.1:\(upstream.port!)/deals/{deal_id}")])
                let token = try await harness.member()
                let reply = try await harness.call(.post, "/v1/chat", json: ["message": "Which stage is deal D-1042 in?", "assistant_id": assistant], token: token)
                #expect(reply.status == .ok, "\(reply.text)")
                // The argument was extracted by its pattern and the secret went in the header.
                let requests = crm.requests.withLock { $0 }
                #expect(requests.map(\.path) == ["/deals/D-1042"])
                #expect(requests.first?.authorization == "Bearer \(FakeCRM.token)")
                let sources = try #require(reply.object("message")?["sources"] as? [[String: Any]])
                let tool = try #require(sources.first { $0["type"] as? String == "tool" })
                #expect(tool["tool"] as? String == "crm_deal")
                #expect(tool["url"] as? String == "http://127.0.0.1:\(upstream.port!)/deals/D-1042")
                #expect((tool["text"] as? String)?.contains(FakeCRM.note("D-1042")) == true)
                #expect(tool["cited"] as? Bool == true)
                #expect(reply.string("message", "content")?.contains(FakeCRM.note("D-1042")) == true, "\(reply.text)")
                let runs = try #require(reply.object("metadata")?["tools"] as? [[String: Any]])
                #expect(runs.map { $0["name"] as? String } == ["crm_deal"] && runs.first?["status"] as? String == "ok" && runs.first?["ms"] is Int)
                #expect(!reply.text.contains(FakeCRM.token), "the secret was echoed")

                // Streaming: the tool's record is in the `sources` event; an explicit call overrides extraction.
                let conversation = try #require(reply.string("conversation_id"))
                let streamed = try await harness.call(.post, "/v1/conversations/\(conversation)/messages", json: [
                    "content": "And what is its stage now?", "stream": true, "tool_calls": [["name": "crm_deal", "arguments": ["deal_id": "D-2001"]]],
                ], token: token)
                let events = ChatHarness.events(streamed.text)
                #expect(events.first?.name == "sources" && events.last?.name == "done", "\(streamed.text)")
                let streamedSources = try #require(events.first?.data["sources"] as? [[String: Any]])
                #expect(streamedSources.contains { $0["type"] as? String == "tool" && ($0["text"] as? String)?.contains("D-2001") == true })
                #expect(crm.paths() == ["/deals/D-1042", "/deals/D-2001"])

                // Stored with the message.
                let history = try await harness.call(.get, "/v1/conversations/\(conversation)/messages", token: token)
                let stored = (history["messages"] as? [[String: Any]])?.last?["sources"] as? [[String: Any]]
                #expect(stored?.contains { $0["tool"] as? String == "crm_deal" } == true)

                // A question without a deal id calls nothing.
                _ = try await harness.call(.post, "/v1/chat", json: ["message": "Which stage is the deal in?", "assistant_id": assistant], token: token)
                #expect(crm.paths().count == 2)
            }
        }
    }

    @Test func aSecretGoesOnlyToTheTenantsAndHostsItIsGrantedTo() async throws {
        let crm = FakeCRM()
        let granted = UUID()
        try await crm.application().test(.live) { upstream in
            let url = "http://127.0.0.1:\(upstream.port!)/deals/{deal_id}"
            try await ChatHarness.run(orchestrator: Self.environment(extra: ["CAIRN_CHAT_TOOL_GRANT_CRM_TOKEN": "\(granted.uuidString)@127.0.0.1"])) { harness in
                // The harness's own tenant is not granted the secret: the call is refused, nothing is sent.
                let refusedAssistant = try await Self.assistant(harness, tools: [Self.tool("crm_deal", url: url)])
                let refused = try await harness.call(.post, "/v1/chat", json: ["message": "Which stage is deal D-1042 in?", "assistant_id": refusedAssistant],
                                                     token: try await harness.member())
                #expect(refused.status == .ok, "\(refused.text)")
                let runs = refused.object("metadata")?["tools"] as? [[String: Any]] ?? []
                #expect(runs.first?["status"] as? String == "refused", "\(refused.text)")
                #expect(crm.paths().isEmpty)
                // The granted tenant's call carries it.
                let grantedAssistant = try await Self.assistant(harness, tools: [Self.tool("crm_deal", url: url)], tenant: granted)
                let answered = try await harness.call(.post, "/v1/chat", json: ["message": "Which stage is deal D-1042 in?", "assistant_id": grantedAssistant],
                                                      token: try await harness.member(tenant: granted))
                #expect((answered.object("metadata")?["tools"] as? [[String: Any]])?.first?["status"] as? String == "ok", "\(answered.text)")
                #expect(crm.requests.withLock { $0 }.map(\.authorization) == ["Bearer \(FakeCRM.token)"])
            }
        }
    }

    @Test func failingToolsDegradeTheAnswerAndUnsafeOnesAreNotCalled() async throws {
        let crm = FakeCRM()
        try await crm.application().test(.live) { upstream in
            let port = upstream.port!
            try await ChatHarness.run(orchestrator: Self.environment()) { harness in
                let assistant = try await Self.assistant(harness, tools: [
                    Self.tool("slow", url: "http://127.0.0.1:\(port)/slow/{deal_id}", timeoutMS: 300),
                    Self.tool("big", url: "http://127.0.0.1:\(port)/big/{deal_id}", maxBytes: 4_096),
                    // Same server, but by a name that resolves to the loopback and is not allowed.
                    Self.tool("internal", url: "http://localhost:\(port)/deals/{deal_id}"),
                    Self.tool("metadata", url: "http://169.254.169.254/latest/{deal_id}", secret: nil),
                    Self.tool("unconfigured", url: "http://127.0.0.1:\(port)/deals/{deal_id}", secret: "NOT_CONFIGURED"),
                ])
                let token = try await harness.member()
                let started = ContinuousClock.now
                let reply = try await harness.call(.post, "/v1/chat", json: ["message": "Which stage is deal D-1042 in?", "assistant_id": assistant], token: token)
                #expect(ContinuousClock.now - started < .seconds(10), "the slow tool held the answer up")
                #expect(reply.status == .ok, "\(reply.text)")
                #expect(!(reply.string("message", "content") ?? "").isEmpty)
                let runs = try #require(reply.object("metadata")?["tools"] as? [[String: Any]])
                let statuses = Dictionary(uniqueKeysWithValues: runs.map { ($0["name"] as! String, $0["status"] as! String) })
                #expect(statuses == ["slow": "timeout", "big": "too_large", "internal": "refused", "metadata": "refused", "unconfigured": "secret_missing"])
                #expect((reply.object("metadata")?["degraded"] as? [String])?.contains("tool_unavailable") == true)
                let sources = reply.object("message")?["sources"] as? [[String: Any]] ?? []
                #expect(!sources.contains { $0["type"] as? String == "tool" })
                // Only the slow and the big endpoint were reached: no request by the refused name, none without its secret.
                #expect(crm.paths().sorted() == ["/big/D-1042", "/slow/D-1042"])
            }
        }
    }

    @Test func badToolsAndToolCallsAre400AndTenantsStayApart() async throws {
        try await ChatHarness.run(orchestrator: Self.environment()) { harness in
            let admin = try await harness.admin()
            let good = Self.tool("crm_deal", url: "https://crm.example.com/deals/{deal_id}")
            var cases: [([String: Any], String)] = []
            var tool = good; tool["name"] = "Bad Name"; cases.append((tool, "name"))
            tool = good; tool["url_template"] = "https://crm.example.com/deals/{other}"; cases.append((tool, "{other}"))
            tool = good; tool["url_template"] = "ftp://crm.example.com/deals/{deal_id}"; cases.append((tool, "http(s)"))
            tool = good; tool["url_template"] = "https://{deal_id}.example.com/"; cases.append((tool, "host"))
            tool = good; tool["timeout_ms"] = 20_000; cases.append((tool, "timeout_ms"))
            tool = good; tool["max_response_bytes"] = 2 << 20; cases.append((tool, "max_response_bytes"))
            tool = good; tool["auth"] = ["header": "Authorization", "secret": "lower-case"]; cases.append((tool, "auth.secret"))
            tool = good; tool["arguments_schema"] = ["properties": ["deal_id": ["type": "string", "pattern": "(["]], "required": ["deal_id"]]
            cases.append((tool, "pattern"))
            for (bad, mention) in cases {
                let reply = try await harness.call(.post, "/v1/assistants", json: ["name": "Bad", "tools": [bad]], token: admin)
                #expect(reply.status == .badRequest, "\(bad): \(reply.text)")
                #expect(reply.string("error", "message")?.contains(mention) == true, "\(reply.text)")
            }
            let twice = try await harness.call(.post, "/v1/assistants", json: ["name": "Twice", "tools": [good, good]], token: admin)
            #expect(twice.status == .badRequest)

            let assistant = try await Self.assistant(harness, tools: [good])
            let shown = try await harness.call(.get, "/v1/assistants/\(assistant)", token: admin)
            #expect(shown.array("tools")?.first?["url_template"] as? String == "https://crm.example.com/deals/{deal_id}")
            let patched = try await harness.call(.patch, "/v1/assistants/\(assistant)", json: ["tools": [["name": "x", "url_template": "file:///etc/passwd"]]], token: admin)
            #expect(patched.status == .badRequest)

            let token = try await harness.member()
            for (calls, mention) in [
                ([["name": "nope"]], "no tool"),
                ([["name": "crm_deal", "arguments": ["deal_id": "../admin"]]], "pattern"),
                ([["name": "crm_deal", "arguments": [:] as [String: Any]]], "required"),
                ([["name": "crm_deal", "arguments": ["deal_id": "D-1042", "extra": 1]]], "unknown"),
            ] as [([[String: Any]], String)] {
                let reply = try await harness.call(.post, "/v1/chat", json: ["message": "Deal?", "assistant_id": assistant, "tool_calls": calls], token: token)
                #expect(reply.status == .badRequest && reply.string("error", "message")?.contains(mention) == true, "\(reply.text)")
            }
            // The refused requests left no conversation behind.
            let conversations = try await harness.call(.get, "/v1/conversations", token: token)
            #expect((conversations["conversations"] as? [Any])?.isEmpty == true, "\(conversations.text)")

            // Another tenant can neither see nor use the assistant (and so not its tools).
            let other = UUID()
            let foreign = try await harness.call(.get, "/v1/assistants/\(assistant)", token: try await harness.admin(tenant: other))
            #expect(foreign.status == .notFound)
            let used = try await harness.call(.post, "/v1/chat", json: ["message": "Deal D-1042?", "assistant_id": assistant],
                                              token: try await harness.member(tenant: other))
            #expect(used.status == .notFound)
        }
    }

    @Test func argumentsAreEncodedIntoThePathAndPrivateAddressesAreNotPublic() throws {
        let data = #"{"name":"t","method":"GET","url_template":"https://crm.example.com/a/{q}?v=1","arguments_schema":{"properties":{"q":{"type":"string"},"n":{"type":"integer"}},"required":["q"]}}"#
        let tool = try JSONDecoder().decode(AssistantTool.self, from: Data(data.utf8))
        try tool.validate()
        let call = PlannedToolCall(tool: tool, arguments: try ToolPlanner.checked(["q": .string("a/b ?#&"), "n": .integer(3)], tool: tool))
        #expect(call.url == "https://crm.example.com/a/a%2Fb%20%3F%23%26?v=1&n=3")
        // `.` and `..` would climb the template's path to another endpoint of the host.
        for climbing in [".", ".."] {
            #expect(throws: ChatError.self) { try ToolPlanner.checked(["q": .string(climbing)], tool: tool) }
        }
        for address: [UInt8] in [[127, 0, 0, 1], [10, 1, 2, 3], [172, 16, 0, 1], [192, 168, 1, 1], [169, 254, 169, 254], [100, 64, 0, 1], [0, 0, 0, 0]] {
            #expect(!AddressGuard.isPublic(address), "\(address)")
        }
        #expect(AddressGuard.isPublic([93, 184, 216, 34]))
        #expect(!AddressGuard.isPublic([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]))
        #expect(!AddressGuard.isPublic([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1]))
        #expect(!AddressGuard.isPublic([0xfd, 0, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0x54]))
        // IPv6 forms that carry an IPv4 address: the IPv4 address decides, or they are refused.
        #expect(!AddressGuard.isPublic([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 1]))  // ::10.0.0.1
        #expect(AddressGuard.isPublic([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 93, 184, 216, 34]))
        #expect(!AddressGuard.isPublic([0x20, 0x02, 169, 254, 169, 254, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]))  // 2002:a9fe:a9fe::1
        #expect(AddressGuard.isPublic([0x20, 0x02, 93, 184, 216, 34, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]))
        #expect(!AddressGuard.isPublic([0, 0x64, 0xff, 0x9b, 0, 0x01, 0, 0, 0, 0, 0, 0, 93, 184, 216, 34]))
        #expect(!AddressGuard.isPublic([0x20, 0x01, 0, 0, 0x41, 0x36, 0xe3, 0x78, 0x80, 0, 0x63, 0xbf, 0x3f, 0xff, 0xfd, 0xd2]))
        #expect(!AddressGuard.isPublic([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]))
        #expect(AddressGuard.isPublic([0x26, 0x06, 0x28, 0, 0x02, 0x20, 0, 1, 0x2, 0x48, 0x18, 0x93, 0x25, 0xc8, 0x19, 0x46]))
    }
}
