import CairnAuthKit

/// The gateway's request state: the kit's, the connection's peer and the caller's identity.
public typealias GatewayRequestContext = IdentityRequestContext
