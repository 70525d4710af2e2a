import Foundation
import Testing

@testable import CairnCLIKit

@Suite("CairnCLI")
struct CairnCLITests {
    @Test("server-sent events split anywhere, with CRLF, comments and multi-line data")
    func serverSentEvents() {
        let stream = Array(": keep-alive\r\nevent: sources\r\ndata: {\"a\":1}\r\n\r\nevent: delta\ndata: one\ndata: two\n\ndata: plain\n\n".utf8)
        for split in [1, 3, 7, stream.count] {
            var parser = ServerSentEventParser()
            var events: [ServerSentEvent] = []
            var start = 0
            while start < stream.count {
                let end = min(start + split, stream.count)
                events += parser.feed(stream[start..<end])
                start = end
            }
            #expect(events == [
                ServerSentEvent(name: "sources", data: "{\"a\":1}"),
                ServerSentEvent(name: "delta", data: "one\ntwo"),
                ServerSentEvent(name: "message", data: "plain"),
            ], "split every \(split) bytes")
        }
    }

    @Test("an error answer becomes its exit status, code and request id")
    func errorMapping() {
        let body = Data(#"{"error":{"code":"QUOTA_EXCEEDED","message":"messages quota used up","request_id":"r-1"}}"#.utf8)
        let error = CLIError.fromResponse(status: 429, body: body, requestID: "header-id")
        #expect(error.status == .limited)
        #expect(error.code == "QUOTA_EXCEEDED")
        #expect(error.description == "messages quota used up (QUOTA_EXCEEDED, HTTP 429, request id r-1)")

        let unparsable = CLIError.fromResponse(status: 502, body: Data("<html>".utf8), requestID: "header-id")
        #expect(unparsable.status == .server)
        #expect(unparsable.requestID == "header-id")
        #expect([401, 403, 404, 400, 503].map { ExitStatus(httpStatus: $0) } == [.authentication, .authentication, .notFound, .failure, .server])
    }

    @Test("the config file is private and keeps every profile")
    func configStore() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = ConfigStore(environment: ["CAIRN_CONFIG_DIR": directory.path])
        try store.update("default") { $0 = Profile(server: "http://a") }
        try store.update("ci") {
            var profile = Profile(server: "http://b")
            profile.apiKey = "cairn_x_secret"
            $0 = profile
        }
        let loaded = try store.load()
        #expect(loaded.profiles.keys.sorted() == ["ci", "default"])
        #expect(loaded.profiles["ci"]?.apiKey == "cairn_x_secret")
        let mode = try FileManager.default.attributesOfItem(atPath: store.file.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
    }

    @Test("folders are walked in order, hidden entries skipped, types by extension")
    func localFiles() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("b/.git"), withIntermediateDirectories: true)
        for name in ["a.md", "b/c.pdf", "b/.git/config", ".secret", "z.bin"] {
            #expect(FileManager.default.createFile(atPath: root.appendingPathComponent(name).path, contents: Data("x".utf8)))
        }
        let files = try LocalFile.expand([root.path])
        #expect(files.map { String($0.path.dropFirst(root.path.count + 1)) } == ["a.md", "b/c.pdf", "z.bin"])
        #expect(files.map(\.mediaType) == ["text/markdown", "application/pdf", "application/octet-stream"])
        #expect(throws: CLIError.self) { try LocalFile.expand([root.appendingPathComponent("missing").path]) }
    }

    @Test("the progress line shows files, bytes, rate and ETA")
    func progressLine() {
        let bar = ProgressBar(label: "Uploading", totalItems: 4, totalBytes: 4096, enabled: false)
        bar.update(items: 2, bytes: 2048)
        let line = bar.render(elapsed: 2)
        #expect(line.contains("[############------------]"))
        #expect(line.contains("2/4 files"))
        #expect(line.contains("2.0 KB/4.0 KB"))
        #expect(line.contains("1.0 KB/s"))
        #expect(line.contains("ETA 2s"))
    }
}
