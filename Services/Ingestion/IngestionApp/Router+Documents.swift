import CairnAuthKit
import Foundation
import Hummingbird
import NIOCore
import ServiceKit

/// Documents: the HTTP door (multipart upload or JSON), status, lists and deletion.
extension IngestionAPI {
    /// The JSON door's body: text content and the document's fields.
    struct JSONSubmission: Decodable {
        var content: String
        var title: String?
        var mimeType: String?
        var metadata: [String: String]?
        var externalID: String?
        var sourceURI: String?

        enum CodingKeys: String, CodingKey {
            case content, title, metadata
            case mimeType = "mime_type"
            case externalID = "external_id"
            case sourceURI = "source_uri"
        }
    }

    struct Accepted: ResponseEncodable {
        var documentID: UUID
        var status: DocumentStatus
        var statusURL: String

        enum CodingKeys: String, CodingKey {
            case documentID = "document_id"
            case status
            case statusURL = "status_url"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(documentID.lowercased, forKey: .documentID)
            try container.encode(status, forKey: .status)
            try container.encode(statusURL, forKey: .statusURL)
        }
    }

    func addUploadRoute(to group: RouterGroup<IngestionRequestContext>) {
        group.post("/v1/collections/{id}/documents") { request, context -> EditedResponse<Accepted> in
            let (identity, tenant) = try tenant(request, context, "documents:write")
            let collectionID = try Self.pathID(context, "id")
            let (fields, upload) = try await readSubmission(request, context: context)
            guard let documentID = try await documents.submit(
                tenantID: tenant, collectionID: collectionID, fields: fields, upload: upload, submittedBy: identity.subject,
                correlationID: context.requestID
            ) else { throw IngestionError.notFound }
            logger.info("document accepted", metadata: [
                "request_id": "\(context.requestID)", "document_id": "\(documentID.lowercased)", "bytes": "\(upload.content.readableBytes)",
            ])
            var headers = HTTPFields()
            headers[.location] = "/v1/documents/\(documentID.lowercased)"
            return EditedResponse(status: .accepted, headers: headers,
                                  response: Accepted(documentID: documentID, status: .pending, statusURL: "/v1/documents/\(documentID.lowercased)"))
        }
    }

    func addDocumentRoutes(to group: RouterGroup<IngestionRequestContext>) {
        group.get("/v1/documents/{id}") { request, context -> DocumentRecord in
            let (_, tenant) = try tenant(request, context, "documents:read")
            guard let document = try await documents.find(try Self.pathID(context, "id"), tenantID: tenant) else { throw IngestionError.notFound }
            return document
        }
        group.get("/v1/documents") { request, context -> Page<DocumentRecord> in
            let (_, tenant) = try tenant(request, context, "documents:read")
            let (limit, after) = try PageCursor.page(request)
            let query = request.uri.queryParameters
            var filter = DocumentStore.Filter()
            if let raw = query["status"] {
                guard let status = DocumentStatus(rawValue: String(raw)) else {
                    throw IngestionError.invalid("status: one of \(DocumentStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                filter.status = status
            }
            if let raw = query["collection_id"] {
                guard let id = UUID(uuidString: String(raw)) else { throw IngestionError.invalid("collection_id must be a UUID") }
                filter.collectionID = id
            }
            if let raw = query["updated_since"] {
                guard let date = try? Date(String(raw), strategy: .iso8601) else {
                    throw IngestionError.invalid("updated_since: an ISO 8601 date-time (2026-01-31T12:00:00Z)")
                }
                filter.updatedSince = date
            }
            return try await documents.list(tenantID: tenant, filter: filter, limit: limit, after: after)
        }
        group.delete("/v1/documents/{id}") { request, context -> HTTPResponse.Status in
            let (identity, tenant) = try tenant(request, context, "documents:delete")
            guard try await documents.delete(try Self.pathID(context, "id"), tenantID: tenant, by: identity.subject,
                                             correlationID: context.requestID) else { throw IngestionError.notFound }
            return .noContent
        }
    }

    // MARK: Reading a submission

    /// The document's fields and content from a multipart form (a `file` part plus optional
    /// `title`, `mime_type`, `metadata` (a JSON object of strings), `external_id`, `source_uri`)
    /// or a JSON body. The body is read under the upload limit (plus the form's allowance) as it
    /// streams in; the content's type is checked now (415), the rest when it is processed.
    func readSubmission(_ request: Request, context: IngestionRequestContext) async throws -> (DocumentFields, DocumentStore.Upload) {
        let limits = config.limits
        let bodyLimit = limits.maxUploadBytes + IngestionConfig.formOverheadBytes
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > bodyLimit {
            throw ExtractionError.tooLarge(bytes: declared, limit: limits.maxUploadBytes)
        }
        var body = ByteBuffer()
        for try await part in request.body {
            guard body.readableBytes + part.readableBytes <= bodyLimit else {
                throw ExtractionError.tooLarge(bytes: body.readableBytes + part.readableBytes, limit: limits.maxUploadBytes)
            }
            body.writeImmutableBuffer(part)
        }
        let contentType = request.headers[.contentType] ?? ""
        var fields = DocumentFields()
        var content: ByteBuffer
        var declaredType: String?
        var filename: String?
        if let boundary = MultipartForm.boundary(contentType: contentType) {
            let form: MultipartForm
            do {
                form = try MultipartForm(parsing: body, boundary: boundary)
            } catch {
                throw IngestionError.invalid("malformed multipart body: \(error.description)")
            }
            guard let file = form.part("file") else { throw IngestionError.invalid("the form has no file part (name \"file\")") }
            content = file.body
            filename = file.filename
            declaredType = form.field("mime_type") ?? file.contentType
            fields.title = form.field("title") ?? file.filename ?? ""
            fields.externalID = form.field("external_id")
            fields.sourceURI = form.field("source_uri") ?? ""
            if let metadata = form.field("metadata") {
                guard let decoded = try? JSONDecoder().decode([String: String].self, from: Data(metadata.utf8)) else {
                    throw IngestionError.invalid("metadata: a JSON object of strings")
                }
                fields.metadata = decoded
            }
        } else if contentType.lowercased().hasPrefix("application/json") {
            let submission: JSONSubmission
            do {
                submission = try JSONDecoder().decode(JSONSubmission.self, from: Data(buffer: body, byteTransferStrategy: .noCopy))
            } catch {
                throw IngestionError.invalid("the body must be JSON {content, title?, mime_type?, metadata?, external_id?, source_uri?}")
            }
            content = ByteBuffer(string: submission.content)
            declaredType = submission.mimeType ?? "text/plain"
            fields.title = submission.title ?? ""
            fields.externalID = submission.externalID
            fields.sourceURI = submission.sourceURI ?? ""
            fields.metadata = submission.metadata ?? [:]
        } else {
            throw ExtractionError.unsupportedMediaType(
                contentType.isEmpty ? "(none)" : contentType, allowed: ["multipart/form-data", "application/json"]
            )
        }
        try limits.checkUploadSize(content.readableBytes)
        guard content.readableBytes > 0 else { throw ExtractionError.empty }
        let format = try DocumentFormat.detect(declaredType: declaredType, filename: filename,
                                               data: Data(buffer: content, byteTransferStrategy: .noCopy))
        try limits.checkAllowed(format)
        fields.mimeType = format.mediaType
        try fields.validate()
        let stored = declaredType.flatMap { MediaType($0).isGeneric ? nil : $0 } ?? format.mediaType
        return (fields, DocumentStore.Upload(content: content, contentType: stored, filename: filename ?? ""))
    }
}
