/// The server that runs the Edge (`product:`), with the facts that change the plan: whether it
/// still has XMPP federation, the XMPP names its certificate needs, and the end of support
/// (Microsoft Lifecycle pages "Lync Server 2013", "Skype for Business Server 2015",
/// "Skype for Business Server 2019").
public enum Product: String, Sendable, CaseIterable, Hashable {
    case lync2013 = "lync-2013"
    case sfb2015 = "sfb-2015"
    case sfb2019 = "sfb-2019"
    case sfbSE = "sfb-se"

    public var title: String {
        switch self {
        case .lync2013: "Lync Server 2013"
        case .sfb2015: "Skype for Business Server 2015"
        case .sfb2019: "Skype for Business Server 2019"
        case .sfbSE: "Skype for Business Server Subscription Edition"
        }
    }

    /// Skype for Business Server 2019 removed the XMPP gateway and proxy; Subscription Edition,
    /// an in-place upgrade of 2019, does not have it either.
    public var hasXMPPFederation: Bool { self == .lync2013 || self == .sfb2015 }

    /// The end of extended support, ISO 8601; nil for Subscription Edition, which is supported.
    /// Every date given here is already past: a product with one is out of support.
    public var supportEnded: String? {
        switch self {
        case .lync2013: "2023-04-11"
        case .sfb2015, .sfb2019: "2025-10-14"
        case .sfbSE: nil
        }
    }

    /// The XMPP certificate names follow Lync Server 2013's rule (the domain itself) or Skype for
    /// Business Server 2015's (`xmpp.<domain>` and `*.<domain>`); later releases have no XMPP.
    public var certificateRule: ServerVersion { self == .lync2013 ? .lync2013 : .sfb2015 }
}
