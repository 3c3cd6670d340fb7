import FedplanCore

/// `dns check --partners`: one round of questions per resolver for what partners publish.
public enum PartnerCheck {
    public static func run(_ deployment: Deployment, resolvers: [ServerAddress], options: QueryOptions) -> [Finding] {
        let needs = PartnerChecker.needs(deployment)
        let questions = PartnerChecker.questions(needs)
        let answers = QueryEngine(options: options).run(resolvers.flatMap { r in questions.map { Query($0, to: r) } })
        return resolvers.flatMap { resolver in
            var outcomes: [Question: QueryOutcome] = [:]
            for q in questions { outcomes[q] = answers[Query(q, to: resolver)] }
            return PartnerChecker.check(needs, server: resolver.description, outcomes: outcomes)
        }
    }
}
