import Foundation

/// Runs a program to its end without blocking a thread of Swift's cooperative pool (which has
/// one thread per core: a test blocking one while the app under test needs it can deadlock the
/// whole run). Output (stdout and stderr together) goes through a temporary file.
public func runProcess(_ executable: URL, _ arguments: [String], directory: URL? = nil) async throws -> (status: Int32, output: String) {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-process-\(UUID().uuidString).out")
    FileManager.default.createFile(atPath: file.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: file) }
    let handle = try FileHandle(forWritingTo: file)
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    process.standardOutput = handle
    process.standardError = handle
    let status: Int32 = try await withCheckedThrowingContinuation { continuation in
        process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
        do { try process.run() } catch { continuation.resume(throwing: error) }
    }
    try handle.close()
    return (status, try String(contentsOf: file, encoding: .utf8))
}
