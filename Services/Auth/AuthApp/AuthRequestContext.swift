import CairnAuthKit
import Foundation
import Hummingbird
import ServiceKit

/// auth's request state: the shared identity context (identity, peer, ISO 8601 JSON).
public typealias AuthRequestContext = IdentityRequestContext
