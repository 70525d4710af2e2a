import ChatOrchestratorApp
import ServiceKit

await ServiceMain.run(ChatOrchestratorService.self)
