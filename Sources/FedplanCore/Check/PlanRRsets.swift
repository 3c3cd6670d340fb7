/// A plan's RRsets in plan order, each with the question that asks for it. Worked out once per
/// check and shared by the first round of questions and every server's check: a hosting plan
/// has 20,000 RRsets, and grouping them costs a hash of every name.
public struct PlanRRsets: Sendable {
    public struct RRset: Sendable {
        public let question: Question
        public let type: RecordType
        /// Indices into `records`.
        public internal(set) var indices: [Int]
    }

    /// `plan.records`, flattened once.
    public let records: [PlannedRecord]
    public let sets: [RRset]

    public init(_ plan: Plan) {
        records = plan.records
        var sets: [RRset] = []
        sets.reserveCapacity(records.count)
        var position: [Question: Int] = [:]
        position.reserveCapacity(records.count)
        for (i, r) in records.enumerated() {
            // Records of one RRset are usually next to each other: then no lookup.
            if let last = sets.last, last.type == r.type, last.question.name == r.name.description {
                sets[sets.count - 1].indices.append(i)
                continue
            }
            let question = Question(lowercased: r.name.description, r.type)
            // One hash lookup, not two: `updateValue` stores the next position and hands back
            // the one stored before, if any (put back then: an RRset split in the plan, rare).
            if let p = position.updateValue(sets.count, forKey: question) {
                position[question] = p
                sets[p].indices.append(i)
            } else {
                sets.append(RRset(question: question, type: r.type, indices: [i]))
            }
        }
        self.sets = sets
    }

    /// Every RRset's question, in plan order, each once.
    public var questions: [Question] { sets.map(\.question) }
}
