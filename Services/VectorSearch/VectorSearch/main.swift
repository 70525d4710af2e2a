import VectorSearchApp
import ServiceKit

await ServiceMain.run(VectorSearchService.self)
