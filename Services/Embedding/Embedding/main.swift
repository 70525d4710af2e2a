import EmbeddingApp
import ServiceKit

await ServiceMain.run(EmbeddingService.self)
