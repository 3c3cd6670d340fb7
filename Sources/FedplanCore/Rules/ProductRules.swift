/// Rules about the server that runs the Edge (`product:`). Microsoft Lifecycle dates and the
/// removal of XMPP federation in Skype for Business Server 2019 ("What's new in Skype for
/// Business Server 2019": "Deprecated features").
public enum XMPPRemovedRule: DescriptionRule {
    public static let description = RuleDescription(
        name: "xmpp-not-in-product", severity: .error, scope: .description,
        summary: "XMPP federation is described for a server that no longer has it",
        rationale: "Skype for Business Server 2019 removed the XMPP gateway and proxy, and Subscription Edition (an in-place upgrade of 2019) has none either: the _xmpp-server._tcp records would point partners at an Edge that cannot answer them.",
        source: "\(PublicSources.lifecycle); Microsoft's Skype for Business Server 2019 documentation lists the XMPP gateway among the features removed",
        triggeringExamples: [Example.description("product: sfb-2019\nfederation:\n  xmpp: {}"),
                             Example.description("product: sfb-se\nfederation:\n  xmpp: {}")],
        nonTriggeringExamples: [Example.description("product: sfb-2015\nfederation:\n  xmpp: {}"),
                                Example.description("product: sfb-se")])

    public static func check(_ deployment: Deployment, plan: Plan) -> [Finding] {
        guard let xmpp = deployment.federation.xmpp, let product = deployment.product, !product.value.hasXMPPFederation
        else { return [] }
        return [finding(xmpp.proxy.value.description,
                        "federation.xmpp is described, but \(product.value.title) has no XMPP federation (Skype for Business Server 2019 removed it); the _xmpp-server._tcp records would lead partners nowhere",
                        observed: product.value.rawValue, at: xmpp.location)]
    }
}

public enum ProductOutOfSupportRule: DescriptionRule {
    public static let description = RuleDescription(
        name: "product-out-of-support", severity: .notice, scope: .description,
        summary: "the Edge runs a server release past the end of extended support",
        rationale: "No more security updates: an Internet-facing Edge on an unsupported release is a risk, and Microsoft's federation changes are no longer tested against it. Skype for Business Server Subscription Edition is the supported on-premises server.",
        source: PublicSources.lifecycle,
        triggeringExamples: [Example.description("product: lync-2013"), Example.description("product: sfb-2019")],
        nonTriggeringExamples: [Example.description("product: sfb-se"), Example.description()])

    /// Only a `product:` written in the description: without one the plan follows Lync Server
    /// 2013 (schema 1's meaning), and a notice on every old description would say nothing new.
    public static func check(_ deployment: Deployment, plan: Plan) -> [Finding] {
        guard let product = deployment.product, let ended = product.value.supportEnded else { return [] }
        return [finding(deployment.edge.accessEdge.value.description,
                        "\(product.value.title) left extended support on \(ended); Skype for Business Server Subscription Edition is the supported on-premises server",
                        observed: product.value.rawValue, at: product.location)]
    }
}
