import CairnTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The real `openai` Python SDK (PyPI, installed into `$CAIRN_VENV` by `deploy/local/deps.sh`)
/// against `POST /v1/chat/completions` on a live socket: non-streamed and streamed answers
/// parse without errors, with usage; a provider failing mid-stream surfaces as the SDK's
/// `APIError`, not as a short answer.
@Suite struct OpenAISDKTests {
    static let script = #"""
    import json, sys
    import openai
    port, token, tenant, model = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
    client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key=token, default_query={"tenant_id": tenant}, max_retries=0)
    sources = [{"id": "a", "text": "Cairn stores documents in Postgres. Each tenant has its own rows."}]
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Where does Cairn store documents?"}]
    result = {}
    plain = client.chat.completions.create(model=model, messages=messages, temperature=0, extra_body={"sources": sources})
    result["plain"] = {"content": plain.choices[0].message.content, "finish": plain.choices[0].finish_reason, "model": plain.model,
                       "usage": [plain.usage.prompt_tokens, plain.usage.completion_tokens, plain.usage.total_tokens]}
    text, usage, finish = "", None, None
    for chunk in client.chat.completions.create(model=model, messages=messages, stream=True, stream_options={"include_usage": True},
                                                extra_body={"sources": sources}):
        if chunk.usage is not None:
            usage = [chunk.usage.prompt_tokens, chunk.usage.completion_tokens, chunk.usage.total_tokens]
        for choice in chunk.choices:
            text += choice.delta.content or ""
            finish = choice.finish_reason or finish
    result["stream"] = {"content": text, "finish": finish, "usage": usage}
    print("RESULT " + json.dumps(result))
    """#

    static let failingScript = #"""
    import sys
    import openai
    port, token, tenant = sys.argv[1], sys.argv[2], sys.argv[3]
    client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key=token, default_query={"tenant_id": tenant}, max_retries=0)
    text = ""
    try:
        for chunk in client.chat.completions.create(model="gpt-fake", messages=[{"role": "user", "content": "hi"}], stream=True):
            for choice in chunk.choices:
                text += choice.delta.content or ""
        print("RESULT no error; text=" + text)
    except openai.APIError as error:
        print("RESULT APIError after " + repr(text) + ": " + str(error))
    """#

    static func python() throws -> URL {
        let venv = try #require(TestInfra.environment["CAIRN_VENV"], "CAIRN_VENV is not set: source deploy/local/env.sh (deploy/local/deps.sh installs openai there)")
        return URL(fileURLWithPath: venv).appendingPathComponent("bin/python")
    }

    static func run(_ script: String, _ arguments: [String]) async throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-openai-\(UUID().uuidString).py")
        try script.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, output) = try await runProcess(try python(), [file.path] + arguments)
        #expect(status == 0, "\(output)")
        return output.split(separator: "\n").last { $0.hasPrefix("RESULT ") }.map { String($0.dropFirst(7)) } ?? output
    }

    @Test func nonStreamedAndStreamedCompletionsParse() async throws {
        try await GenerationHarness.run(testing: .live) { harness in
            let port = try #require(harness.client.port)
            let output = try await Self.run(Self.script, ["\(port)", try await harness.serviceToken(), harness.tenant.uuidString.lowercased(), "cairn-extractive-1"])
            let result = try #require((try? JSONSerialization.jsonObject(with: Data(output.utf8))) as? [String: [String: Any]], "\(output)")
            let expected = "Cairn stores documents in Postgres. [1]"
            #expect(result["plain"]?["content"] as? String == expected)
            #expect(result["plain"]?["finish"] as? String == "stop")
            #expect(result["plain"]?["model"] as? String == "cairn-extractive-1")
            #expect(result["stream"]?["content"] as? String == expected)
            #expect(result["stream"]?["finish"] as? String == "stop")
            let usage = try #require(result["stream"]?["usage"] as? [Int])
            #expect(usage.count == 3 && usage[0] > 0 && usage[1] > 0 && usage[2] == usage[0] + usage[1])
        }
    }

    @Test func aProviderFailingMidStreamRaisesInTheSDK() async throws {
        try await ProviderAndRoutingTests.withFake { fake, port in
            fake.script([.breakOff(["Half an ", "answer"])])
            try await GenerationHarness.run(GenerationHarness.providerEnvironment(openAIPort: port, anthropicPort: port), testing: .live) { harness in
                let ours = try #require(harness.client.port)
                let output = try await Self.run(Self.failingScript, ["\(ours)", try await harness.serviceToken(), harness.tenant.uuidString.lowercased()])
                #expect(output.hasPrefix("APIError after 'Half an answer'"), "\(output)")
            }
        }
    }
}
