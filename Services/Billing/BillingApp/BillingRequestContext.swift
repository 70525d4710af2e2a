import CairnAuthKit

/// billing's request state: the kit's, the caller's identity and peer address (audit events).
public typealias BillingRequestContext = IdentityRequestContext
