import IngestionApp
import ServiceKit

await ServiceMain.run(IngestionService.self)
