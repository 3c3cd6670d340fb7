import FedplanCore

/// `dns check --partners`: one round of questions per resolver for what partners publish.
public enum PartnerCheck {
    /// `engine`: the check's engine, so that one progress line counts every query.
    public static func run(_ deployment: Deployment, resolvers: [ServerAddress], options: QueryOptions,
                           engine: QueryEngine? = nil) -> [Finding] {
        let needs = PartnerChecker.needs(deployment)
        let questions = PartnerChecker.questions(needs)
        let engine = engine ?? QueryEngine(options: options)
        let answers = engine.run(resolvers.flatMap { r in questions.map { Query($0, to: r) } })
        var outcomes: [ServerAddress: [Question: QueryOutcome]] = [:]
        for r in resolvers { for q in questions { outcomes[r, default: [:]][q] = answers[Query(q, to: r)] } }
        // A second round: the addresses of the SRV targets partners publish (bounded per name).
        let targets = resolvers.flatMap { r in
            PartnerChecker.targetQuestions(needs, outcomes: outcomes[r] ?? [:]).map { Query($0, to: r) }
        }
        for (query, outcome) in engine.run(targets) { outcomes[query.server, default: [:]][query.question] = outcome }
        return resolvers.flatMap { resolver in
            PartnerChecker.check(needs, server: resolver.description, outcomes: outcomes[resolver] ?? [:])
        }
    }
}
