import BillingApp
import ServiceKit

await ServiceMain.run(BillingService.self)
