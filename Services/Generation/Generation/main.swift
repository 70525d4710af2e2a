import GenerationApp
import ServiceKit

await ServiceMain.run(GenerationService.self)
