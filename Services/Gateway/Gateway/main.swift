import GatewayApp
import ServiceKit

await ServiceMain.run(GatewayService.self)
