@testable import ChatOrchestratorApp
import Testing

@Suite struct QueryAnalyzerTests {
    @Test func classifiesKeywordFactualAndComplexQueries() {
        #expect(QueryAnalyzer.analyze("refund policy annual", previousQuestions: []).kind == .keyword)
        #expect(QueryAnalyzer.analyze("refund policy annual", previousQuestions: []).strategy == .lexical)
        #expect(QueryAnalyzer.analyze("What is the refund window for annual plans?", previousQuestions: []).kind == .factual)
        #expect(QueryAnalyzer.analyze("Compare the refund rules of monthly and annual plans", previousQuestions: []).kind == .complex)
    }

    @Test func rewritesAFollowUpWithThePreviousQuestion() {
        let analysis = QueryAnalyzer.analyze("And for monthly ones?", previousQuestions: ["What is the refund window for annual plans?"])
        #expect(analysis.rewritten)
        #expect(analysis.searchQuery == "And for monthly ones? refund window annual plans")
    }

    @Test func leavesAStandAloneQuestionAlone() {
        let analysis = QueryAnalyzer.analyze("How do I rotate the signing keys?", previousQuestions: ["What is the refund window?"])
        #expect(!analysis.rewritten)
        #expect(analysis.searchQuery == "How do I rotate the signing keys?")
    }

    @Test func titlesComeFromTheFirstLineCutAtAWord() {
        #expect(Conversation.title(from: "Hello there\nsecond line") == "Hello there")
        let long = String(repeating: "word ", count: 40)
        let title = Conversation.title(from: long)
        #expect(title.count <= 81 && title.hasSuffix("…"))
    }

    @Test func contextStaysWithinTheBudget() {
        let hits = (0..<10).map { SearchHit(chunkID: "c\($0)", documentID: "d", documentVersion: 1, collectionID: "x", title: "t",
                                            text: String(repeating: "a", count: 400), score: Double(10 - $0)) }
        let sources = ContextAssembler.assemble(hits, budget: 350)
        #expect(sources.count == 3)
        #expect(sources.map(\.index) == [1, 2, 3])
        #expect(sources.map(\.chunkID) == ["c0", "c1", "c2"])
    }
}
