import CairnAuthKit
import CairnBillingAPI
import Foundation
import Hummingbird

/// `POST /v1/quota/check`, for services on the request path (the gateway, the orchestrator).
extension BillingAPI {
    /// Largest quantity one check may ask about.
    static let maxQuantity = 1_000_000_000_000

    func addQuotaRoutes(to group: RouterGroup<BillingRequestContext>) {
        group.post("/v1/quota/check") { request, context -> QuotaDecision in
            let identity = try context.requireIdentity()
            let body: QuotaCheckRequest
            do {
                body = try await request.decode(as: QuotaCheckRequest.self, context: context)
            } catch let error as HTTPError where error.status == .badRequest {
                let resources = QuotaResource.allCases.map(\.rawValue).joined(separator: "|")
                throw BillingError.invalid("expected {\"tenant_id\": UUID, \"resource\": \(resources), \"quantity\": integer (default 1)}")
            }
            guard (0...Self.maxQuantity).contains(body.quantity) else {
                throw BillingError.invalid("quantity must be between 0 and \(Self.maxQuantity)")
            }
            try authorize(identity, "quota:read", resourceTenant: body.tenantID)
            return try await quota.check(body)
        }
    }
}

extension QuotaDecision: ResponseEncodable {}
