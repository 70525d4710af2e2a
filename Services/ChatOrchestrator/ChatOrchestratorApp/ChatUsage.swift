import CairnAuthKit
import CairnEvents
import CairnProtos
import Foundation

/// The `CHAT_MESSAGE` usage event of one answered message (`cairn.usage.v1`, keyed by tenant).
/// Its usage id names the answer (`chat:message:<id>`), so billing counts it once however often
/// it is delivered; token usage is generation's own (`CHAT_TOKENS_IN`/`OUT`).
enum ChatUsage {
    static func messageAnswered(_ answer: Message, tenant: UUID, identity: Identity, requestID: String) -> Cairn_V1_UsageRecorded {
        Cairn_V1_UsageRecorded.make(tenantID: tenant.uuidString.lowercased(), producer: ChatOrchestratorService.name, correlationID: requestID) {
            $0.usageID = "chat:message:\(answer.id.uuidString.lowercased())"
            $0.subjectType = switch identity.kind {
            case .user: .user
            case .apiKey: .apiKey
            case .service: .service
            }
            $0.subjectID = identity.subject
            $0.kind = .chatMessage
            $0.quantity = 1
            $0.unit = "messages"
            $0.model = answer.model ?? ""
            $0.conversationID = answer.conversationID.uuidString.lowercased()
            $0.attributes = ["cached": "\(answer.cached)", "interrupted": "\(answer.interrupted)", "strategy": answer.strategy ?? ""]
        }
    }
}
