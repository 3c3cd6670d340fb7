import FedplanCore

/// `dns check --partners`: one round of questions per resolver for what partners publish.
public enum PartnerCheck {
    /// `engine`: the check's engine, so that one progress line counts every query.
    public static func run(_ deployment: Deployment, resolvers: [ServerAddress], options: QueryOptions,
                           engine: QueryEngine? = nil) -> [Finding] {
        let needs = PartnerChecker.needs(deployment)
        let questions = PartnerChecker.questions(needs)
        let answers = (engine ?? QueryEngine(options: options)).run(resolvers.flatMap { r in questions.map { Query($0, to: r) } })
        return resolvers.flatMap { resolver in
            var outcomes: [Question: QueryOutcome] = [:]
            for q in questions { outcomes[q] = answers[Query(q, to: resolver)] }
            return PartnerChecker.check(needs, server: resolver.description, outcomes: outcomes)
        }
    }
}
