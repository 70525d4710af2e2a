import Foundation

/// A file to upload: the path as shown to the user and its size.
struct LocalFile: Sendable {
    var path: String
    var size: Int64

    var name: String { (path as NSString).lastPathComponent }

    /// The media type by extension; unknown ones are left to the server to detect.
    var mediaType: String {
        switch (path as NSString).pathExtension.lowercased() {
        case "txt", "text": "text/plain"
        case "md", "markdown": "text/markdown"
        case "html", "htm", "xhtml": "text/html"
        case "json": "application/json"
        case "pdf": "application/pdf"
        case "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        default: "application/octet-stream"
        }
    }

    /// Expands files and folders (walked recursively, hidden entries skipped) in a stable order.
    static func expand(_ paths: [String]) throws -> [LocalFile] {
        let manager = FileManager.default
        var files: [LocalFile] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CLIError.usage("no such file or folder: \(path)")
            }
            if !isDirectory.boolValue {
                files.append(LocalFile(path: path, size: size(path)))
                continue
            }
            let root = URL(fileURLWithPath: path)
            guard let walker = manager.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey],
                                                  options: [.skipsHiddenFiles]) else { continue }
            var found: [String] = []
            for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
                let relative = url.path.hasPrefix(root.path + "/") ? String(url.path.dropFirst(root.path.count + 1)) : url.lastPathComponent
                found.append((path as NSString).appendingPathComponent(relative))
            }
            files += found.sorted().map { LocalFile(path: $0, size: size($0)) }
        }
        return files
    }

    private static func size(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}

/// A `multipart/form-data` body of one `file` part and text fields.
struct MultipartBody {
    let boundary = "cairn-" + UUID().uuidString.lowercased()
    var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    func encode(fields: [(String, String)], filename: String, mediaType: String, content: Data) -> Data {
        var body = Data()
        for (name, value) in fields {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(Self.quoted(name))\"\r\n\r\n\(value)\r\n".utf8))
        }
        body.append(Data(("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(Self.quoted(filename))\"\r\n"
            + "Content-Type: \(mediaType)\r\n\r\n").utf8))
        body.append(content)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        return body
    }

    /// Quotes a header parameter value (RFC 7578: `"` and line breaks percent-encoded).
    static func quoted(_ value: String) -> String {
        value.replacingOccurrences(of: "\"", with: "%22").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
    }
}
