import AuthApp
import ServiceKit

await ServiceMain.run(AuthService.self)
