import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore

struct Ingest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Upload files and folders into a collection and wait until they are indexed.",
        discussion: """
            Folders are walked recursively (hidden files skipped). Each file is uploaded as a \
            document (its path is its external id, so ingesting it again makes a new version); \
            a file the server refuses (an unsupported type, too large, over quota) is reported \
            as failed and the rest carry on. Then the documents' status is polled until each is \
            indexed or failed. Progress bars go to stderr; with --json, stdout gets one JSON \
            object: {"collection": {...}, "files": [{"path", "bytes", "document_id", "status", \
            "error", "error_code"}], "indexed": N, "failed": N}.

            Exits 0 when every file is indexed, else with the code of the first failure (1 for \
            a refused or failed file, 5 over quota, 7 for a server error).

            Examples:
              cairn ingest ./handbook --collection Handbook --create
              cairn ingest notes.md report.pdf --collection Research --json | jq '.files[].status'
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Files and folders to upload.")
    var paths: [String]

    @Option(help: "The collection's id or name.")
    var collection: String

    @Flag(help: "Create the collection when there is none of that name.")
    var create = false

    @Flag(inversion: .prefixedNo, help: "Wait until every document is indexed or failed.")
    var wait = true

    @Option(help: "Seconds to wait for indexing.")
    var timeout: Int = 600

    @Flag(help: "Machine-readable JSON on stdout, no progress bars.")
    var json = false

    func validate() throws {
        if paths.isEmpty { throw ValidationError("Give at least one file or folder.") }
        if timeout < 1 { throw ValidationError("--timeout must be at least 1 second.") }
    }

    struct FileResult: Encodable {
        var path: String
        var bytes: Int64
        var documentId: String?
        var status: String
        var error: String?
        var errorCode: String?
        var exitStatus: ExitStatus?

        enum CodingKeys: String, CodingKey { case path, bytes, documentId, status, error, errorCode }
    }

    struct Report: Encodable {
        struct Target: Encodable { var id, name: String }
        var collection: Target
        var files: [FileResult]
        var indexed: Int
        var failed: Int
    }

    func run() async throws {
        let files = try LocalFile.expand(paths)
        let client = try global.client()
        let target: Collection
        do {
            target = try await CollectionResolver.find(collection, client)
        } catch let error as CLIError where error.status == .notFound && create {
            target = try await CollectionResolver.create(collection, description: nil, chunkSize: nil, chunkOverlap: nil, client)
        }

        var results = try await upload(files, to: target, client)
        if wait { try await waitForIndexing(&results, collectionID: target.id, client) }

        let indexed = results.filter { $0.status == "indexed" }.count
        let failed = results.count - indexed
        if json {
            try Terminal.json(Report(collection: .init(id: target.id, name: target.name), files: results, indexed: indexed, failed: failed))
        } else {
            Terminal.table(["STATUS", "DOCUMENT", "FILE", "ERROR"], results.map {
                [$0.status, $0.documentId ?? "-", $0.path, Self.describe($0)]
            })
        }
        let problems = results.filter { $0.status != "indexed" && (wait || $0.documentId == nil) }
        if let first = problems.first {
            throw CLIError(first.exitStatus ?? .failure, "\(problems.count) of \(results.count) files not indexed (first: \(first.path): \(first.error ?? first.status))",
                           code: first.errorCode)
        }
    }

    private static func describe(_ result: FileResult) -> String {
        guard let error = result.error else { return "" }
        return result.errorCode.map { "\($0): \(error)" } ?? error
    }

    /// Uploads the files one after another; a refused file is recorded, a lost connection or
    /// refused credentials stop everything.
    private func upload(_ files: [LocalFile], to target: Collection, _ client: APIClient) async throws -> [FileResult] {
        let totalBytes = files.reduce(Int64(0)) { $0 + $1.size }
        let bar = ProgressBar(label: "Uploading", totalItems: files.count, totalBytes: totalBytes, enabled: !json)
        var results: [FileResult] = []
        var sent: Int64 = 0
        for (index, file) in files.enumerated() {
            bar.update(note: file.name)
            var result = FileResult(path: file.path, bytes: file.size, status: "pending")
            do {
                guard let content = FileManager.default.contents(atPath: file.path) else {
                    throw CLIError(.failure, "cannot read the file")
                }
                let multipart = MultipartBody()
                let body = multipart.encode(fields: [("title", file.name), ("external_id", file.path)],
                                            filename: file.name, mediaType: file.mediaType, content: content)
                let answer = try await client.send(.POST, "/v1/collections/\(target.id)/documents", contentType: multipart.contentType) {
                    .bytes(ByteBuffer(data: body))
                }
                result.documentId = try answer.decode(AcceptedDocument.self).documentId
            } catch let error as CLIError where error.status != .authentication && error.status != .unreachable {
                result.status = "failed"
                result.error = error.message
                result.errorCode = error.code
                result.exitStatus = error.status
            }
            results.append(result)
            sent += file.size
            bar.update(items: index + 1, bytes: sent)
        }
        bar.finish(note: "done")
        return results
    }

    /// Polls the collection's documents until every uploaded one is indexed or failed.
    private func waitForIndexing(_ results: inout [FileResult], collectionID: String, _ client: APIClient) async throws {
        let tracked = results.indices.filter { results[$0].documentId != nil }
        guard !tracked.isEmpty else { return }
        let bar = ProgressBar(label: "Indexing ", totalItems: tracked.count, enabled: !json)
        let deadline = Date().addingTimeInterval(TimeInterval(timeout))
        var delay: UInt64 = 300_000_000
        while true {
            var open = tracked.filter { !["indexed", "failed", "deleted"].contains(results[$0].status) }
            if open.isEmpty { break }
            do {
                let states = try await documentStates(collectionID: collectionID, client)
                for index in open {
                    guard let id = results[index].documentId, let document = states[id] else { continue }
                    results[index].status = document.status
                    if document.status == "failed" {
                        results[index].error = document.error ?? "processing failed"
                        results[index].exitStatus = .failure
                    }
                }
            } catch let error as CLIError where error.code == "RATE_LIMITED" {
                // Polling waits its turn like any caller; the deadline still applies.
            }
            open = tracked.filter { !["indexed", "failed", "deleted"].contains(results[$0].status) }
            let done = tracked.count - open.count
            let failed = tracked.filter { results[$0].status == "failed" }.count
            bar.update(items: done, note: failed > 0 ? "\(failed) failed" : "")
            if open.isEmpty { break }
            if Date() > deadline {
                for index in open {
                    results[index].error = "not indexed within \(timeout)s (last status \(results[index].status))"
                    results[index].exitStatus = .failure
                }
                break
            }
            try await Task.sleep(nanoseconds: delay)
            delay = min(delay * 2, 2_000_000_000)
        }
        bar.finish()
    }

    /// Every document of the collection by id (one request per 200 documents, not one each).
    private func documentStates(collectionID: String, _ client: APIClient) async throws -> [String: DocumentState] {
        var states: [String: DocumentState] = [:]
        var cursor: String?
        repeat {
            var query = [("collection_id", collectionID), ("limit", "200")]
            if let cursor { query.append(("cursor", cursor)) }
            let page = try await client.send(.GET, "/v1/documents", query: query).decode(DocumentPage.self)
            for document in page.documents { states[document.id] = document }
            cursor = page.nextCursor
        } while cursor != nil
        return states
    }
}
