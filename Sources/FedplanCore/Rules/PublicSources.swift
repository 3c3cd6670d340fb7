/// The public documents rules and planned records cite, by title (Microsoft's Lync Server 2013
/// documentation) or number (RFCs, XEPs). What admins paste into change tickets must name
/// something they can look up.
public enum PublicSources {
    public static let federationPlanning =
        "Microsoft, \"Planning for SIP, XMPP federation, and public instant messaging in Lync Server 2013\""
    public static let xmppDNSSummary =
        "Microsoft, \"DNS summary - Extensible messaging and presence protocol (XMPP) federation\" (Lync Server 2013)"
    public static let xmppPlanning =
        "Microsoft, \"Planning for extensible messaging and presence protocol (XMPP) federation\" (Lync Server 2013)"
    public static let xmppGateway = "Microsoft, \"Configure XMPP gateway on Lync Server 2013\""
    public static let remoteAccess = "Microsoft, \"Planning for external user access in Lync Server 2013\""
    public static let teamsOnlyDNS =
        "Microsoft, \"Update DNS entries to enable your organization to be all Teams Only\""
    public static let hybrid = "Microsoft, \"Plan hybrid connectivity\" (Skype for Business Server and Teams)"
    public static let dnsRequirements =
        "Microsoft, \"DNS requirements for Skype for Business Server 2015\" and \"Determine DNS requirements for Lync Server 2013\""
    public static let lifecycle = "Microsoft Lifecycle Policy pages of Lync Server 2013 and Skype for Business Server 2015 and 2019"
}
