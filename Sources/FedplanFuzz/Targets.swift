import FedplanCore
import FedplanDNS
import Foundation

enum DescriptionFuzz {
    static func run(_ bytes: [UInt8]) {
        switch DescriptionLoader.load(data: Data(bytes), file: "fuzz.yaml") {
        case .failure(let list):
            OutputCheck.text(list.description)
            OutputCheck.json(JSONDocuments.encode(JSONDocuments.planDocument(
                file: "fuzz.yaml", deployment: nil, plan: nil, findings: [], errors: list.diagnostics)))
        case .success(let deployment):
            guard let plan = try? Planner.plan(deployment) else { return }
            let findings = RuleCatalog.check(deployment, plan: plan)
            OutputCheck.text(FindingRenderer.text(findings, color: false))
            OutputCheck.text(PlanRenderer.table(deployment, plan: plan))
            OutputCheck.json(JSONDocuments.encode(JSONDocuments.planDocument(
                file: "fuzz.yaml", deployment: deployment, plan: plan, findings: findings, errors: [])))
            for zone in plan.zones { OutputCheck.text(ExportRenderer.zoneFile(zone, deployment: deployment)) }
        }
    }
}

enum ZoneFileFuzz {
    /// One file per process, rewritten for each input: the reader works on files (mmap).
    static let path: String = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fedplan-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("input.zone").path
    }()

    static func run(_ bytes: [UInt8]) {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { fatalError("cannot write \(path)") }
        let collector = ZoneCollector(plan: FuzzPlan.plan)
        let (problems, files) = ZoneFileReader.read([ZoneFileReader.Input(path: path, origin: "contoso.com.")], into: collector)
        if !problems.isEmpty {
            OutputCheck.text(problems.map(\.description).joined(separator: "\n"))
            OutputCheck.text(problems.map { CheckRenderer.githubError($0) }.joined())
            return
        }
        // A fixed check time (2026-01-01): the same input gives the same output.
        let report = ZoneFileCheck.report(plan: FuzzPlan.plan, description: "fedplan.yaml", files: files, collector: collector,
                                          signatures: SignatureCheckOptions(verifier: ZoneSignatureVerifier(),
                                                                            clock: SignatureClock(now: 1_767_225_600)))
        OutputCheck.report(report)
    }
}

enum AnswerFuzz {
    /// The reply is read as the answer to each of these; the ID is the reply's own, so that the
    /// fuzzer reaches the conversion and the checker, not only the ID check.
    static let questions = [Question("_sipfederationtls._tcp.contoso.com.", "SRV"), Question("sip.contoso.com.", "A")]

    static func run(_ bytes: [UInt8]) {
        guard bytes.count >= 2 else { return }
        let id = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
        for question in questions {
            for tcp in [false, true] {
                let verdict = bytes.withUnsafeBytes { Reply.read($0, id: id, question: question, overTCP: tcp) }
                guard case .outcome(let outcome) = verdict else {
                    if case .ignore(let why) = verdict { OutputCheck.text(why) }
                    continue
                }
                // The same outcome for every question of the plan: the checker and the follow-ups
                // see hostile data everywhere.
                var outcomes: [Question: QueryOutcome] = [:]
                for q in RecordChecker.questions(for: FuzzPlan.plan) { outcomes[q] = outcome }
                for q in RecordChecker.followUps(for: FuzzPlan.plan, outcomes: outcomes) { outcomes[q] = outcome }
                let check = RecordChecker.check(plan: FuzzPlan.plan, server: "192.0.2.53", outcomes: outcomes)
                OutputCheck.report(CheckReport.combine(description: "fedplan.yaml", plan: FuzzPlan.plan, checks: [check],
                                                       outcomes: [("192.0.2.53", outcomes)]))
            }
        }
    }
}
